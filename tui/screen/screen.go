// Package screen rebuilds a session's terminal screen without attaching:
// the tty WebSocket's replay and live output go through a terminal
// emulator (github.com/charmbracelet/x/vt), and the screen's text is read
// from it. It is read-only by construction: Watch never writes a frame
// (no keys, no resize), so watching cannot disturb the session or an
// operator attached to it.
//
// screen may import spec, ptyattach (for the tty URL's token rule) and
// libraries only: the console (tui) and the CLI both may use it, so it
// must not import tui, forms, cmd or client.
package screen

import (
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/x/vt"
)

// Screen is a terminal emulator fed with a session's output; safe for
// one writer and any number of readers.
type Screen struct {
	mu  sync.Mutex
	emu *vt.Emulator
}

// New is an empty screen of w×h cells.
func New(w, h int) *Screen {
	emu := vt.NewEmulator(max(w, 1), max(h, 1))
	// The emulator answers queries (cursor position, device attributes)
	// on its input pipe, which blocks until read: drain it and drop the
	// answers, since a watcher never talks to the session.
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	return &Screen{emu: emu}
}

// Write feeds output bytes to the emulator.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.Write(p)
}

// Resize changes the emulated terminal's size (the session's own size is
// not changed).
func (s *Screen) Resize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emu.Resize(max(w, 1), max(h, 1))
}

// Text is the screen as plain text, one line per row, trailing blanks
// and empty trailing rows dropped.
func (s *Screen) Text() string {
	s.mu.Lock()
	text := s.emu.String()
	s.mu.Unlock()
	lines := strings.Split(text, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// Close ends the drain of the emulator's answers. It closes the answer
// pipe itself rather than calling Emulator.Close, whose flag the drain's
// Read checks without a lock (a data race).
func (s *Screen) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pw, ok := s.emu.InputPipe().(*io.PipeWriter); ok {
		return pw.CloseWithError(io.EOF)
	}
	return nil
}

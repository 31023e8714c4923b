package sshserve

import (
	"io"
	"os"
	"sync"

	"github.com/creack/pty"
	"golang.org/x/term"
)

// input is the one reader of the client's keystrokes; it routes them to
// the console, or to an attach in progress. A single reader matters: a
// read on an SSH channel cannot be cancelled, so handing the channel
// itself to the console and then to an attach would leave a stale read
// behind that swallows the next keystroke.
type input struct {
	src   io.Reader
	touch func()
	// The console reads a pipe: bubbletea can cancel a read on a file
	// (epoll), which it does when tea.Exec hands the terminal over.
	teaR, teaW *os.File

	mu   sync.Mutex
	sink io.Writer
}

func newInput(src io.Reader, touch func()) (*input, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	in := &input{src: src, touch: touch, teaR: r, teaW: w, sink: w}
	go in.pump()
	return in, nil
}

func (in *input) console() io.Reader { return in.teaR }

// pump copies until the session ends; writes to a sink being switched or
// closed fail harmlessly (a keystroke typed while an attach ends is lost).
func (in *input) pump() {
	defer in.teaW.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := in.src.Read(buf)
		if n > 0 {
			in.touch()
			in.mu.Lock()
			sink := in.sink
			in.mu.Unlock()
			_, _ = sink.Write(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// close unblocks a pump stuck writing to the console's pipe; the pump
// itself ends when the session's input does.
func (in *input) close() { in.teaR.Close() }

// beginAttach routes keystrokes to a new reader for an attach, until the
// returned func routes them back to the console.
func (in *input) beginAttach() (io.Reader, func()) {
	r, w, closeAll := attachInput()
	in.mu.Lock()
	in.sink = w
	in.mu.Unlock()
	return r, func() {
		in.mu.Lock()
		in.sink = in.teaW
		in.mu.Unlock()
		closeAll()
	}
}

// openPTY is pty.Open; tests replace it to take the io.Pipe path.
var openPTY = pty.Open

// attachInput is where keystrokes go during an attach. A raw
// pseudo-terminal when one can be had: ptyattach reads a terminal as
// keyboard input (detach keys on) and can cancel that read the instant the
// attach ends. Otherwise an io.Pipe, which works the same but whose read
// ptyattach cannot cancel: detaching then takes half a second more.
func attachInput() (io.Reader, io.Writer, func()) {
	master, slave, err := openPTY()
	if err == nil {
		if _, err = term.MakeRaw(int(slave.Fd())); err == nil {
			return slave, master, func() { master.Close(); slave.Close() }
		}
		master.Close()
		slave.Close()
	}
	pr, pw := io.Pipe()
	return pr, pw, func() { pw.Close(); pr.Close() }
}

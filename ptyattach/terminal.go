package ptyattach

import (
	"errors"
	"io"
	"os"

	"golang.org/x/term"

	"lapctl/spec"
)

// Size is a terminal size in character cells.
type Size struct{ Cols, Rows int }

// valid reports whether s may be sent: never 0×0 (a terminal that has not
// reported its size yet), and inside the protocol's bounds.
func (s Size) valid() bool { return s.Cols >= spec.MinPTYSize && s.Rows >= spec.MinPTYSize }

// clamp keeps a valid size inside the protocol's bounds.
func (s Size) clamp() Size {
	return Size{Cols: min(s.Cols, spec.MaxPTYSize), Rows: min(s.Rows, spec.MaxPTYSize)}
}

// Terminal is the local terminal: it can enter raw mode and report its
// size. Over SSH, inject one that reports the SSH client's window (or feed
// Options.Resize) and whose MakeRaw does nothing: the client is raw already.
type Terminal interface {
	MakeRaw() (restore func() error, err error)
	Size() (Size, error)
}

// fileTerminal is a local terminal: raw mode on the input, size from the
// output (or the input when the output is redirected).
type fileTerminal struct {
	in, size *os.File
}

func (t fileTerminal) MakeRaw() (func() error, error) {
	fd := int(t.in.Fd())
	st, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	return func() error { return term.Restore(fd, st) }, nil
}

func (t fileTerminal) Size() (Size, error) {
	w, h, err := term.GetSize(int(t.size.Fd()))
	return Size{Cols: w, Rows: h}, err
}

// ttyFile returns r as an *os.File when it is a terminal.
func ttyFile(r any) (*os.File, bool) {
	f, ok := r.(*os.File)
	if !ok || f == nil || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return f, true
}

// deriveTerminal builds a Terminal from In and Out when In is a local
// terminal; nil otherwise.
func deriveTerminal(in io.Reader, out io.Writer) Terminal {
	inF, ok := ttyFile(in)
	if !ok {
		return nil
	}
	sizeF := inF
	if outF, ok := ttyFile(out); ok {
		sizeF = outF
	}
	return fileTerminal{in: inF, size: sizeF}
}

// isPipe reports whether r is a file that is known not to be a terminal
// (a pipe or a regular file): its bytes are data, never detach keys.
func isPipe(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && f != nil && !term.IsTerminal(int(f.Fd()))
}

var errNoSize = errors.New("terminal size unknown")

// termSize reads t's size, refusing the 0×0 of a terminal that has none.
func termSize(t Terminal) (Size, error) {
	if t == nil {
		return Size{}, errNoSize
	}
	s, err := t.Size()
	if err != nil {
		return Size{}, err
	}
	if !s.valid() {
		return Size{}, errNoSize
	}
	return s.clamp(), nil
}

// Package iostreams carries a command's standard streams and what is known
// about them (terminal or not, width, colour), so commands never touch
// os.Stdin/os.Stdout and can run over SSH or in tests. Nothing here asks
// the terminal a question. It imports no lapctl package and no UI library
// (colorprofile only reads the environment).
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"

	"github.com/charmbracelet/colorprofile"
	"golang.org/x/term"
)

// IOStreams is the set of streams a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	neverTTY  bool
	width     func() int
	env       func(string) string
	environ   func() []string
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		width: func() int {
			if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
				return w
			}
			return 0
		},
		env:     os.Getenv,
		environ: os.Environ,
	}
}

// New returns streams over arbitrary readers and writers (an SSH session,
// say); tty says whether they are a terminal.
func New(in io.Reader, out, errOut io.Writer, tty bool, width func() int, env func(string) string) *IOStreams {
	if env == nil {
		env = func(string) string { return "" }
	}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, stdinTTY: tty, stdoutTTY: tty, stderrTTY: tty, width: width, env: env}
}

// Test returns streams over buffers, none of them a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return New(in, out, errOut, false, nil, nil), in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// IsStdinTTY reports whether input comes from a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY && !s.neverTTY }

// IsStdoutTTY reports whether output goes to a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY && !s.neverTTY }

// IsStderrTTY reports whether errors go to a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY && !s.neverTTY }

// SetStdinTTY, SetStdoutTTY and SetStderrTTY override detection (tests).
func (s *IOStreams) SetStdinTTY(v bool)  { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetNeverTTY makes every stream report "not a terminal" (e.g. --json).
func (s *IOStreams) SetNeverTTY(v bool) { s.neverTTY = v }

// CanPrompt reports whether the user can answer a prompt: both input and
// output are a terminal.
func (s *IOStreams) CanPrompt() bool { return s.IsStdinTTY() && s.IsStdoutTTY() }

// Getenv reads the environment these streams run in (the SSH session's
// over SSH, the process's locally).
func (s *IOStreams) Getenv(key string) string {
	if s.env == nil {
		return ""
	}
	return s.env(key)
}

// TerminalWidth is the output's width in columns: the terminal's, $COLUMNS,
// or 80.
func (s *IOStreams) TerminalWidth() int {
	if s.width != nil {
		if w := s.width(); w > 0 {
			return w
		}
	}
	if w, err := strconv.Atoi(s.Getenv("COLUMNS")); err == nil && w > 0 {
		return w
	}
	return 80
}

// ColorEnabled reports whether output may carry colour: a terminal, and
// neither NO_COLOR nor TERM=dumb.
func (s *IOStreams) ColorEnabled() bool {
	if !s.IsStdoutTTY() || s.Getenv("NO_COLOR") != "" || s.Getenv("TERM") == "dumb" {
		return false
	}
	return true
}

// environKeys are the variables Environ reports for streams built with New:
// what decides colour and terminal behaviour.
var environKeys = []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM_PROGRAM", "LANG", "LC_ALL", "COLORFGBG"}

// Environ is the environment as "KEY=value" lines: the process's for
// System, else the terminal-related variables Getenv knows.
func (s *IOStreams) Environ() []string {
	if s.environ != nil {
		return s.environ()
	}
	var env []string
	for _, k := range environKeys {
		if v := s.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// ColorProfile is what output may carry: nothing but text off a terminal,
// no colour with NO_COLOR or TERM=dumb, else what TERM and COLORTERM say.
// It asks the terminal nothing.
func (s *IOStreams) ColorProfile() colorprofile.Profile {
	switch {
	case !s.IsStdoutTTY():
		return colorprofile.NoTTY
	case !s.ColorEnabled():
		return colorprofile.ASCII
	}
	return colorprofile.Env(s.Environ())
}

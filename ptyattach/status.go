package ptyattach

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"
)

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// status writes the attach's own lines to ErrOut. While the terminal is
// raw, output processing is off and a newline does not return the
// carriage, so lines end in \r\n.
type status struct {
	w   io.Writer
	tty bool // ErrOut is a terminal: a spinner line may be redrawn
	raw atomic.Bool

	spinning bool
	frame    int
	lastLine string
}

func (s *status) eol() string {
	if s.raw.Load() {
		return "\r\n"
	}
	return "\n"
}

// linef prints one line, ending any spinner first.
func (s *status) linef(format string, args ...any) {
	s.endSpin()
	fmt.Fprintf(s.w, format+s.eol(), args...)
}

// spin shows text with a turning spinner on a terminal, and as a plain
// line, once per change, elsewhere.
func (s *status) spin(text string) {
	if !s.tty {
		if text != s.lastLine {
			s.lastLine = text
			fmt.Fprint(s.w, text+s.eol())
		}
		return
	}
	s.spinning = true
	s.frame = (s.frame + 1) % len(spinnerFrames)
	fmt.Fprintf(s.w, "\r%s %s\x1b[K", spinnerFrames[s.frame], text)
}

func (s *status) endSpin() {
	if s.spinning {
		s.spinning = false
		fmt.Fprint(s.w, "\r\x1b[K")
	}
}

// phaseText turns a phase id into words: "cloning_repo" → "cloning repo".
func phaseText(phase string) string {
	if phase == "" {
		return "starting"
	}
	return strings.ReplaceAll(phase, "_", " ")
}

package ptyattach

import (
	"bytes"
	"strconv"
)

// modeTracker follows the DEC private modes the remote program turns on
// (alternate screen, mouse reporting, bracketed paste, hidden cursor,
// application cursor keys), so that a detach from a full-screen program
// hands back a usable terminal instead of one stuck in its modes.
type modeTracker struct {
	on    map[int]bool
	carry []byte // an unfinished CSI ? sequence at the end of a chunk
}

// trackedModes are the modes reset on the way out, in this order; 25 (the
// cursor) is on by default, so it is its being off that is tracked.
var trackedModes = []int{1000, 1002, 1003, 1005, 1006, 1015, 2004, 1, 1049, 1047, 47, 25}

var csiPrivate = []byte("\x1b[?")

func (m *modeTracker) scan(p []byte) {
	if len(m.carry) > 0 {
		n := min(len(p), 32)
		joined := append(m.carry, p[:n]...)
		m.carry = nil
		m.parse(joined, false)
	}
	m.parse(p, true)
}

// parse reads every complete "ESC [ ? n;n h|l" in p; with keep, an
// unfinished one at the end is carried to the next chunk.
func (m *modeTracker) parse(p []byte, keep bool) {
	for {
		i := bytes.Index(p, csiPrivate)
		if i < 0 {
			if keep && len(p) > 0 && p[len(p)-1] == 0x1b {
				m.carry = []byte{0x1b}
			} else if keep && len(p) > 1 && p[len(p)-2] == 0x1b && p[len(p)-1] == '[' {
				m.carry = []byte("\x1b[")
			}
			return
		}
		p = p[i+len(csiPrivate):]
		j := 0
		for j < len(p) && (p[j] >= '0' && p[j] <= '9' || p[j] == ';') {
			j++
		}
		if j == len(p) {
			if keep && j < 24 {
				m.carry = append(append([]byte{}, csiPrivate...), p...)
			}
			return
		}
		if p[j] == 'h' || p[j] == 'l' {
			for _, f := range bytes.Split(p[:j], []byte{';'}) {
				if n, err := strconv.Atoi(string(f)); err == nil {
					if m.on == nil {
						m.on = map[int]bool{}
					}
					m.on[n] = (p[j] == 'h') != (n == 25)
				}
			}
		}
		p = p[j:]
	}
}

// reset returns the sequence that undoes the modes left on.
func (m *modeTracker) reset() []byte {
	var b []byte
	for _, n := range trackedModes {
		if !m.on[n] {
			continue
		}
		if n == 25 {
			b = append(b, "\x1b[?25h"...)
			continue
		}
		b = append(b, "\x1b[?"...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, 'l')
	}
	return b
}

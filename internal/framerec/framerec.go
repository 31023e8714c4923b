// Package framerec records the frames a Bubble Tea program draws, as
// plain text, and builds the key presses tests type, for tests of the
// console and the builder. Only tests import
// it; it must not import any lapctl package.
package framerec

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Recorder wraps a program's model and keeps the frames it draws as plain
// text, so tests wait on what the screen shows rather than on the
// renderer's byte stream (Bubble Tea v2 writes only the cells that
// changed).
type Recorder struct {
	tea.Model
	mu     sync.Mutex
	frames []string
}

func (r *Recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m
	return r, cmd
}

// View keeps the frame as drawn; stripping it is the test's work, off
// the program's event loop.
func (r *Recorder) View() tea.View {
	v := r.Model.View()
	r.mu.Lock()
	r.frames = append(r.frames, v.Content)
	r.mu.Unlock()
	return v
}

// take returns the frames drawn since the last take, as plain text.
func (r *Recorder) take() []string {
	r.mu.Lock()
	frames := r.frames
	r.frames = nil
	r.mu.Unlock()
	for i, f := range frames {
		frames[i] = ansi.Strip(f)
	}
	return frames
}

// WaitFor waits until the frames drawn since the previous wait show all
// of want (each in some frame).
func (r *Recorder) WaitFor(t *testing.T, want ...string) {
	t.Helper()
	found := make([]bool, len(want))
	last := ""
	deadline := time.Now().Add(15 * time.Second)
	for {
		for _, frame := range r.take() {
			for i, w := range want {
				found[i] = found[i] || strings.Contains(frame, w)
			}
			last = frame
		}
		ok := true
		for _, f := range found {
			ok = ok && f
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program never drew %q; last frame:\n%s", want, last)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Key is the key press a test names: "enter", "tab", "shift+tab", "esc",
// arrows, "space", "ctrl+x", "alt+x", "backspace", "end", "home",
// "delete", "pgup", "pgdown", or text.
func Key(k string) tea.KeyPressMsg {
	codes := map[string]rune{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"backspace": tea.KeyBackspace, "end": tea.KeyEnd, "home": tea.KeyHome, "delete": tea.KeyDelete,
		"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
	}
	var mod tea.KeyMod
	name := k
	for _, m := range []struct {
		prefix string
		mod    tea.KeyMod
	}{{"ctrl+", tea.ModCtrl}, {"alt+", tea.ModAlt}, {"shift+", tea.ModShift}} {
		if rest, ok := strings.CutPrefix(name, m.prefix); ok && rest != "" {
			mod |= m.mod
			name = rest
		}
	}
	if name == "space" {
		if mod == 0 {
			return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		}
		return tea.KeyPressMsg{Code: tea.KeySpace, Mod: mod}
	}
	if c, ok := codes[name]; ok {
		return tea.KeyPressMsg{Code: c, Mod: mod}
	}
	rs := []rune(name)
	if len(rs) == 1 {
		if mod != 0 {
			return tea.KeyPressMsg{Code: rs[0], Mod: mod}
		}
		return tea.KeyPressMsg{Code: rs[0], Text: name}
	}
	return tea.KeyPressMsg{Code: tea.KeyExtended, Text: name}
}

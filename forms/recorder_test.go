package forms

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// recorder wraps a program's model and keeps the frames it draws as plain
// text, so tests wait on what the screen shows rather than on the
// renderer's byte stream (Bubble Tea v2 writes only the cells that
// changed).
type recorder struct {
	tea.Model
	mu     sync.Mutex
	frames []string
}

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m
	return r, cmd
}

// View keeps the frame as drawn; stripping it is the test's work, off
// the program's event loop.
func (r *recorder) View() tea.View {
	v := r.Model.View()
	r.mu.Lock()
	r.frames = append(r.frames, v.Content)
	r.mu.Unlock()
	return v
}

// take returns the frames drawn since the last take, as plain text.
func (r *recorder) take() []string {
	r.mu.Lock()
	frames := r.frames
	r.frames = nil
	r.mu.Unlock()
	for i, f := range frames {
		frames[i] = ansi.Strip(f)
	}
	return frames
}

// waitFor waits until the frames drawn since the previous wait show all
// of want (each in some frame).
func (r *recorder) waitFor(t *testing.T, want ...string) {
	t.Helper()
	found := make([]bool, len(want))
	last := ""
	deadline := time.Now().Add(10 * time.Second)
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

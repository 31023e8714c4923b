package tui

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

func (r *recorder) View() tea.View {
	v := r.Model.View()
	r.mu.Lock()
	r.frames = append(r.frames, ansi.Strip(v.Content))
	r.mu.Unlock()
	return v
}

// take returns the frames drawn since the last take.
func (r *recorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.frames, "\n")
	r.frames = nil
	return s
}

// waitFor waits until the frames drawn since the previous wait show all
// of want.
func (r *recorder) waitFor(t *testing.T, want ...string) {
	t.Helper()
	var seen strings.Builder
	deadline := time.Now().Add(15 * time.Second)
	for {
		seen.WriteString(r.take())
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(seen.String(), w)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program never drew %q; last frames:\n%s", want, tail(seen.String(), 2000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

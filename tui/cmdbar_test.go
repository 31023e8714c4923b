package tui

import (
	"strings"
	"testing"
)

// `:` opens the bar; tab completes "se" to "sessions"; enter goes there.
func TestCommandBar(t *testing.T) {
	c, agents := seeded(t)
	mustSession(t, c, agents[0].ID)
	tm := startReady(t, testOptions(c), 100, 30)
	press(tm, ":")
	tm.Type("se")
	press(tm, "tab")
	waitFor(t, tm, ":sessions")
	press(tm, "enter")
	waitFor(t, tm, "[2 Sessions]", "ready")
	press(tm, ":")
	tm.Type("s")
	waitFor(t, tm, "sessions skills")
	press(tm, "esc")
	press(tm, ":")
	tm.Type("nope")
	press(tm, "enter")
	waitFor(t, tm, "unknown command :nope (commands: agents, ctx, q, quit, sessions, skills)")
	press(tm, ":")
	tm.Type("sk")
	press(tm, "tab")
	press(tm, "enter")
	waitFor(t, tm, "[3 Skills]")
	frame := finalFrame(t, tm)
	if !strings.Contains(frame, "[3 Skills]") {
		t.Fatalf("not on skills:\n%s", frame)
	}
}

func TestCompletions(t *testing.T) {
	t.Parallel()
	if got := strings.Join(completions("s"), " "); got != "sessions skills" {
		t.Errorf("completions(s) = %q", got)
	}
	b := newCmdBar(nil)
	b.in.SetValue("a")
	b.complete()
	if b.in.Value() != "agents" {
		t.Errorf("complete(a) = %q", b.in.Value())
	}
}

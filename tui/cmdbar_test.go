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
	// ctx takes a context name: completing the command adds its space,
	// then the names complete; the hint lists the names that match.
	b = newCmdBar([]string{"local", "prod", "prod-eu"})
	b.in.SetValue("ct")
	b.complete()
	if b.in.Value() != "ctx " {
		t.Errorf("complete(ct) = %q", b.in.Value())
	}
	if v := b.view(80); !strings.HasSuffix(v, "  local prod prod-eu") {
		t.Errorf("hint after 'ctx ': %q", v)
	}
	b.in.SetValue("ctx p")
	b.complete()
	if b.in.Value() != "ctx prod" {
		t.Errorf("complete(ctx p) = %q", b.in.Value())
	}
	if v := b.view(80); !strings.HasSuffix(v, "  prod prod-eu") {
		t.Errorf("hint after 'ctx prod': %q", v)
	}
	b = newCmdBar(nil)
	b.in.SetValue("ctx ")
	if v := b.view(80); strings.Contains(v, "local") {
		t.Errorf("a console that cannot switch hints contexts: %q", v)
	}
}

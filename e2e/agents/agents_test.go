package agents

import (
	"context"
	"strings"
	"testing"
)

// codex's TUI runs offline as far as its sign-in screen: attach shows it,
// its layout follows a resize, keys move through its menu, and a detach
// and a re-attach come back to the same process and screen.
func TestCodexSignInScreen(t *testing.T) {
	t.Parallel()
	bin := agentBin(t, "codex")
	// --no-daemon: no background app-server that would outlive the test
	// (and copy codex into its home first).
	p := startPlatform(t, "codex", bin, func(home string) string { return `CODEX_HOME="` + home + `"` }, "--no-daemon")

	pane := p.attachPane(t, "--agent", p.agent.Name)
	pane.Wait("Welcome to Codex", "> 1. Sign in with ChatGPT", "Press enter to continue")
	if l := line(pane.Screen(), "Usage included with"); !strings.Contains(l, "plans") {
		t.Errorf("at 120 columns the plan line should fit: %q", l)
	}

	// Narrower: codex re-wraps the line for the new width.
	pane.Resize(60, 20)
	pane.WaitUntil("the plan line wrapped at 60 columns", func(screen string) bool {
		l := line(screen, "Usage included with")
		return l != "" && !strings.Contains(l, "plans") && strings.TrimSpace(line(screen, "plans")) == "plans"
	})

	pane.Keys("Down")
	pane.Wait("> 2. Sign in with Device Code")

	pane.Keys("C-]")
	sessions, err := p.client.ListSessions(context.Background(), "")
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions = %+v, %v; want the one attach started", sessions, err)
	}
	id := sessions[0].ID
	pane.Wait("detached from "+id, "reattach with:", "STATUS=0")

	// Re-attach: the same process, still on the second entry.
	again := p.attachPane(t, id)
	again.Wait("Welcome to Codex", "> 2. Sign in with Device Code")
	if s, err := p.client.GetSession(context.Background(), id); err != nil || !s.Live() {
		t.Fatalf("session after re-attach = %+v, %v; want it still running", s, err)
	}
}

// claude-code without a network shows its splash, says it cannot reach
// Anthropic and exits 1: attach shows that screen, then reports the exit
// and exits with its code.
func TestClaudeCodeOfflineExit(t *testing.T) {
	t.Parallel()
	bin := agentBin(t, "claude")
	p := startPlatform(t, "claude-code", bin, func(string) string { return "" })

	pane := p.attachPane(t, "--agent", p.agent.Name)
	pane.History = 200
	pane.Wait("Welcome to Claude Code", "Unable to connect to Anthropic services")
	pane.Wait("exited: process exited (code=1)", "STATUS=1")

	sessions, err := p.client.ListSessions(context.Background(), "")
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions = %+v, %v", sessions, err)
	}
	s, err := p.client.GetSession(context.Background(), sessions[0].ID)
	if err != nil || s.Live() || s.ExitCode == nil || *s.ExitCode != 1 {
		t.Fatalf("session = %+v, %v; want exited with code 1", s, err)
	}
}

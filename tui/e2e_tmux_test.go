package tui

import (
	"fmt"
	"strings"
	"testing"

	"lapctl/internal/tmuxtest"
)

// TestEndToEndTmux runs the real binary in tmux against `lapctl serve` on
// a free loopback port: `lapctl --base-url …` with no command opens the
// console; the test switches pages, filters, opens a detail, quits, and
// checks the terminal is back as it was (same stty settings, primary
// screen).
func TestEndToEndTmux(t *testing.T) {
	lab := tmuxtest.NewLab(t, "--harness-cmd", "opencode=cat", "--harness-cmd", "claude-code=sh")
	seedAgents(t, lab.Client)

	// The console runs under sh so the test can see how it left the
	// terminal: its exit status, and stty's settings before and after.
	script := fmt.Sprintf(`before=$(stty -g); %s --base-url %s; code=$?; after=$(stty -g); `+
		`[ "$before" = "$after" ] && echo TTY-RESTORED; echo EXIT=$code; sleep 60`, lab.Bin, lab.URL)
	tm := tmuxtest.Start(t, lab.Dir, lab.Env("USER=e2e"), "sh", "-c", script)

	tm.Wait("● ok", "alpha", "gamma", "user e2e")
	tm.Keys("2")
	tm.Wait("Sessions 0")
	tm.Keys("3")
	tm.Wait("reviewer", "Reviews pull requests")
	tm.Keys("Tab")
	tm.Wait("Agents 3")

	tm.Type("/")
	tm.Wait("/ name, id or harness")
	tm.Type("beta")
	tm.Wait("Agents 1", "beta")
	tm.Keys("Enter")
	tm.Keys("Escape")
	tm.Wait("Agents 3")

	// Clearing the filter keeps the cursor on beta; alpha is first.
	tm.Keys("g", "Enter")
	tm.Wait("Agents › alpha", "GITHUB_TOKEN", "Files")
	if strings.Contains(tm.Screen(), "ghp_supersecretvalue") {
		t.Fatalf("the env value is on screen unmasked:\n%s", tm.Screen())
	}
	tm.Keys("Escape")
	tm.Wait("Agents 3")

	// Start-and-attach on beta (a TUI harness, sh here): the terminal goes
	// to the session, the detach keys bring the console back.
	tm.Keys("j", "a")
	tm.Wait("detach with ctrl-]")
	tm.Type("echo attached-$((6*7))")
	tm.Keys("Enter")
	tm.Wait("attached-42")
	tm.Keys("C-]")
	tm.Wait("detached from ses_", "Agents 3")
	tm.Keys("2")
	tm.Wait("Sessions 1 · 1 live", "running")

	tm.Keys("q")
	tm.Wait("TTY-RESTORED", "EXIT=0")
	if s := tm.Screen(); strings.Contains(s, "Agents 3") {
		t.Fatalf("the console's screen is still shown after quitting (alt screen not left):\n%s", s)
	}
}

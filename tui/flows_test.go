package tui

import (
	"context"
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lapctl/client"
)

func TestAgentsFilter(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("/beta")
	waitFor(t, tm, "1 · sort name")
	frame := finalFrame(t, tm)
	if strings.Contains(frame, "alpha") || !strings.Contains(frame, "beta") {
		t.Fatalf("filter should leave only beta:\n%s", frame)
	}
	requireGolden(t, frame)
}

func TestAgentDetail(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	press(tm, "enter")
	waitFor(t, tm, "Agents › alpha", "GITHUB_TOKEN")
	tm.Type("G")
	waitFor(t, tm, "reviewer")
	tm.Type("g")
	waitFor(t, tm, "Description")
	frame := finalFrame(t, tm)
	if strings.Contains(frame, "ghp_supersecretvalue") {
		t.Fatalf("env value shown unmasked:\n%s", frame)
	}
	requireGolden(t, frame)
}

func TestAgentDetailReveal(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	press(tm, "enter")
	waitFor(t, tm, "Agents › alpha", "GITHUB_TOKEN", "Files")
	tm.Type("v")
	waitFor(t, tm, "ghp_supersecretvalue")
}

func TestAgentDeleteConfirm(t *testing.T) {
	c, agents := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("d")
	waitFor(t, tm, "Delete agent alpha?")
	tm.Type("y")
	waitFor(t, tm, "deleted agent alpha")
	frame := finalFrame(t, tm)
	requireGolden(t, frame)
	if _, err := c.GetAgent(context.Background(), agents[0].ID); !client.IsNotFound(err) {
		t.Fatalf("alpha should be gone, got %v", err)
	}
}

func TestAgentDeleteCancel(t *testing.T) {
	c, agents := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("d")
	waitFor(t, tm, "Delete agent alpha?")
	tm.Type("n")
	waitFor(t, tm, "cancelled")
	if _, err := c.GetAgent(context.Background(), agents[0].ID); err != nil {
		t.Fatalf("alpha should still exist: %v", err)
	}
}

// TestAgentDeleteDialog is the confirm dialog's frame at 80×24.
func TestAgentDeleteDialog(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("d")
	waitFor(t, tm, "Delete agent alpha?")
	requireGolden(t, finalFrame(t, tm))
}

func TestReadOnlyRefusal(t *testing.T) {
	c, agents := seeded(t)
	opts := testOptions(c)
	opts.ReadOnly = true
	tm := startReady(t, opts, 100, 30)
	tm.Type("d")
	waitFor(t, tm, "read-only mode: delete is disabled")
	frame := finalFrame(t, tm)
	for _, hidden := range []string{"d delete", "n new", "s start"} {
		if strings.Contains(frame, hidden) {
			t.Errorf("read-only help shows %q", hidden)
		}
	}
	requireGolden(t, frame)
	if _, err := c.GetAgent(context.Background(), agents[0].ID); err != nil {
		t.Fatalf("alpha should still exist: %v", err)
	}
}

func TestSessionsPage(t *testing.T) {
	atBothSizes(t, func(t *testing.T, w, h int) {
		c, agents := seeded(t)
		mustSession(t, c, agents[0].ID)
		tm := startReady(t, testOptions(c), w, h)
		tm.Type("2")
		waitFor(t, tm, "ready")
		requireGolden(t, finalFrame(t, tm))
	})
}

func TestSkillsPage(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("3")
	waitFor(t, tm, "Reviews pull requests")
	requireGolden(t, finalFrame(t, tm))
}

func TestFullHelp(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("?")
	waitFor(t, tm, "reverse")
	requireGolden(t, finalFrame(t, tm))
}

// TestKeyBurst is keys that arrive in one read (a fast typist, key
// repeat, an SSH link), written to the program's input in one write:
// each must still count.
func TestKeyBurst(t *testing.T) {
	c, _ := seeded(t)
	pr, pw := io.Pipe()
	rec := &recorder{Model: New(testOptions(c))}
	p := tea.NewProgram(rec, tea.WithInput(pr), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30),
		tea.WithoutSignals(), tea.WithColorProfile(colorprofile.ASCII))
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	t.Cleanup(func() { p.Quit(); pw.Close(); <-done })
	rec.WaitFor(t, "● ok", "gamma")
	_, _ = pw.Write([]byte("jj\r"))
	rec.WaitFor(t, "Agents › gamma")
	_, _ = pw.Write([]byte("\x1b"))
	rec.WaitFor(t, "3 · sort name")
	// A burst that opens the filter and types into it.
	_, _ = pw.Write([]byte("/beta"))
	rec.WaitFor(t, "Agents 1 · sort name")
}

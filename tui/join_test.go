package tui

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/spec"
)

// waitAttached waits until the fake attach prints its marker on the
// program's output (read from where the previous wait stopped) and
// returns the session it was given, which must be its n-th.
func waitAttached(t *testing.T, tm *teatest.TestModel, fa *fakeAttach, n int32) *spec.Session {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("[attached to ses_")) },
		teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if got := fa.calls.Load(); got != n {
		t.Fatalf("attach calls = %d, want %d", got, n)
	}
	return fa.last.Load()
}

// `a` on a TUI agent with a running session (a real one: the embedded
// server runs sh) offers to join it or start a new one; enter on the
// session joins it and starts nothing; esc cancels; with two live
// sessions both are listed and "new session", the last item, starts a
// third.
func TestAttachOffersToJoin(t *testing.T) {
	c, agents := seeded(t)
	beta := agents[1]
	first := mustSession(t, c, beta.ID)
	apitest.WaitRunning(t, c, first.ID)
	fa := &fakeAttach{}
	opts := testOptions(c)
	opts.Attach = fa.attach
	tm := startReady(t, opts, 100, 30)

	press(tm, "down")
	tm.Type("a")
	waitFor(t, tm, "beta has a live session: join it, or start a new one?", "› join "+first.ID, "new session")
	press(tm, "enter")
	if got := waitAttached(t, tm, fa, 1); got.ID != first.ID {
		t.Fatalf("joined %s, want the live session %s", got.ID, first.ID)
	}
	waitFor(t, tm, "detached from "+first.ID)
	if n := sessionsOf(t, c, beta.ID); n != 1 {
		t.Fatalf("joining started a session: beta has %d", n)
	}

	press(tm, "esc") // the attach ending opened the sessions page's session
	press(tm, "1")
	waitFor(t, tm, "[1 Agents]")
	tm.Type("a")
	waitFor(t, tm, "beta has a live session")
	press(tm, "esc")
	waitFor(t, tm, "cancelled")

	second := mustSession(t, c, beta.ID)
	apitest.WaitRunning(t, c, second.ID)
	tm.Type("a")
	waitFor(t, tm, "beta has 2 live sessions", first.ID, second.ID, "new session")
	press(tm, "down")
	press(tm, "down")
	waitFor(t, tm, "› new session")
	press(tm, "enter")
	got := waitAttached(t, tm, fa, 2)
	if got.ID == first.ID || got.ID == second.ID || got.AgentID != beta.ID {
		t.Fatalf("new session: attached to %+v", got)
	}
	if n := sessionsOf(t, c, beta.ID); n != 3 {
		t.Fatalf("beta has %d sessions, want 3", n)
	}
	frame := finalFrame(t, tm)
	if fa.calls.Load() != 2 {
		t.Fatalf("attach calls = %d, want 2:\n%s", fa.calls.Load(), frame)
	}
}

// With no live session (the only one has ended) `a` starts a new one at
// once, as before: no chooser.
func TestAttachWithoutLiveSessionStarts(t *testing.T) {
	c, agents := seeded(t)
	beta := agents[1]
	old := mustSession(t, c, beta.ID)
	if err := c.DeleteSession(context.Background(), old.ID); err != nil {
		t.Fatal(err)
	}
	fa := &fakeAttach{}
	opts := testOptions(c)
	opts.Attach = fa.attach
	tm := startReady(t, opts, 100, 30)
	press(tm, "down")
	tm.Type("a")
	got := waitAttached(t, tm, fa, 1)
	if got.ID == old.ID || got.AgentID != beta.ID {
		t.Fatalf("attached to %+v, want a new session of beta", got)
	}
	if frame := finalFrame(t, tm); strings.Contains(frame, "live session") {
		t.Fatalf("a chooser with nothing to join:\n%s", frame)
	}
}

// sessionsOf counts agent id's sessions.
func sessionsOf(t *testing.T, c *client.Client, id string) int {
	t.Helper()
	list, err := c.ListSessions(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(slices.DeleteFunc(list, func(s spec.Session) bool { return s.AgentID != id }))
}

// The chooser's frame: the live sessions with id, title, state and age,
// then "new session"; the cursor marked by "›" without colour.
func TestJoinChooser(t *testing.T) {
	c, agents := seeded(t)
	for range 2 {
		apitest.WaitRunning(t, c, mustSession(t, c, agents[1].ID).ID)
	}
	tm := startReady(t, testOptions(c), 100, 30)
	press(tm, "down")
	tm.Type("a")
	waitFor(t, tm, "beta has 2 live sessions")
	requireGolden(t, finalFrame(t, tm))
}

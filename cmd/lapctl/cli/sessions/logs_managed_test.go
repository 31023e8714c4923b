package sessions

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lapctl/internal/apitest"
	"lapctl/internal/harnessfake"
	"lapctl/internal/managedfake"
	"lapctl/spec"
)

// TestLogsOnTheManagedPlatform: a managed TUI session's screen comes
// from the platform's harness bridge (text frames, its own token rule)
// through the same path; -f waits through the start-up phases first.
func TestLogsOnTheManagedPlatform(t *testing.T) {
	var harness atomic.Pointer[harnessfake.Harness]
	m := managedfake.Start(t, managedfake.Options{MasterKey: "mk", TTY: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		harness.Load().ServeHTTP(w, r)
	})})
	h, err := harnessfake.New(harnessfake.Options{Token: m.TTYToken, Direct: true,
		Command: []string{"/bin/sh", "-c", `printf '\033[2J\033[HHARNESS SCREEN\r\nline two\r\n'; sleep 0.3; printf 'line three\r\n'; exec sleep 30`}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	harness.Store(h)
	c := apitest.NewClient(t, m.URL, "mk")
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "tui", Model: "anthropic/claude-sonnet-4-6", Harness: "claude-code", Prompt: "help"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	e := &logsEnv{c: c}
	var out, errOut syncBuffer
	opts := e.options(s.ID, &out, &errOut, false)
	opts.Follow = true
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- logsRun(fctx, opts) }()
	waitFor(t, &out, "line three\n")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("follow: %v\nstderr: %s", err, errOut.String())
	}
	if got := out.String(); !strings.HasPrefix(got, "HARNESS SCREEN\nline two\n") || strings.Count(got, "HARNESS SCREEN") != 1 {
		t.Errorf("followed %q", got)
	}
	if strings.Contains(out.String()+errOut.String(), m.TTYToken) {
		t.Error("the platform's tty token was printed")
	}
}

// TestLogsOfAStartingSession: without -f, a session that stays in its
// start-up phases is said to be starting, with its phase, not an error.
func TestLogsOfAStartingSession(t *testing.T) {
	m := managedfake.Start(t, managedfake.Options{MasterKey: "mk", PhaseStep: 10 * time.Second})
	c := apitest.NewClient(t, m.URL, "mk")
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "tui", Model: "anthropic/claude-sonnet-4-6", Harness: "claude-code", Prompt: "help"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut syncBuffer
	opts := (&logsEnv{c: c}).options(s.ID, &out, &errOut, false)
	opts.FirstFrame = 100 * time.Millisecond
	if err := logsRun(ctx, opts); err != nil || out.String() != "" || !strings.Contains(errOut.String(), "is still starting (") {
		t.Errorf("starting session: %v %q %q", err, out.String(), errOut.String())
	}
}

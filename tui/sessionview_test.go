package tui

import (
	"context"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/internal/gatewayfake"
	"lapctl/internal/harnessfake"
	"lapctl/internal/managedfake"
	"lapctl/ptyattach"
	"lapctl/server/servertest"
	"lapctl/spec"
	"lapctl/tui/common"
)

// fakeSession starts the console on a fake's client with one agent and
// one session, on the sessions page.
func fakeSession(t *testing.T, c *client.Client, harness string, w, h int, noList ...bool) (*spec.Session, *teatest.TestModel) {
	t.Helper()
	return fakeSessionOf(t, c, &spec.AgentSpec{Name: "fakeagent", Model: "anthropic/claude-sonnet-4-6", Harness: harness, Prompt: "help", OwnerID: "ops"}, w, h, noList...)
}

func fakeSessionOf(t *testing.T, c *client.Client, as *spec.AgentSpec, w, h int, noList ...bool) (*spec.Session, *teatest.TestModel) {
	t.Helper()
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, as)
	if err != nil {
		t.Fatal(err)
	}
	a, err = c.GetAgent(ctx, a.ID) // a fresh copy: the owner and defaults filled
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	tm := startTM(t, testOptions(c), w, h)
	waitFor(t, tm, "● ok")
	tm.Type("2")
	if len(noList) > 0 {
		// The managed server lists no sessions: the console knows those
		// it started (the agents page announces them).
		tm.Send(common.SessionCreatedMsg{Session: sess})
	}
	waitFor(t, tm, sess.ID)
	return sess, tm
}

func TestGatewayNoTTYSaysSoAtOnce(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "mk"})
	c := apitest.NewClient(t, g.URL, "mk")
	sess, tm := fakeSession(t, c, "claude-code", 120, 30)
	waitFor(t, tm, "platform gateway")
	before := g.Requests("GET /session/" + sess.ID)
	tm.Type("a")
	// The gateway also made the agent's builder session, listed first:
	// neither has a terminal.
	waitFor(t, tm, " has no terminal (the server says so)")
	if got := g.Requests("GET /session/" + sess.ID); got != before {
		t.Errorf("the no-TTY answer waited on the server: %d GETs of the session", got-before)
	}
}

func TestGatewayMessageWaitsForTheAsyncReply(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "mk", ReplyDelay: 400 * time.Millisecond})
	c := apitest.NewClient(t, g.URL, "mk")
	_, tm := fakeSession(t, c, "claude-code", 120, 30)
	tm.Type("m")
	waitFor(t, tm, "No messages yet.")
	tm.Type("hi gateway")
	press(tm, "ctrl+s")
	waitFor(t, tm, "waiting for the reply")
	waitFor(t, tm, "echo: hi gateway")
}

func TestGatewayMessageEscStopsWaiting(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "mk", ReplyDelay: time.Minute})
	c := apitest.NewClient(t, g.URL, "mk")
	_, tm := fakeSession(t, c, "claude-code", 120, 30)
	tm.Type("m")
	waitFor(t, tm, "No messages yet.")
	tm.Type("slow one")
	press(tm, "ctrl+s")
	waitFor(t, tm, "esc stops waiting")
	press(tm, "esc")
	waitFor(t, tm, "stopped waiting for the reply")
}

var managedID = regexp.MustCompile(`ses_[0-9a-fx]{16}\b`)

// TestManagedLiveScreen: a managed TUI session reaches ready, and its
// page shows the harness's screen, rebuilt from the tty stream, without
// attaching (no key is sent: the harness would echo it).
func TestManagedLiveScreen(t *testing.T) {
	t.Parallel()
	var harness atomic.Pointer[harnessfake.Harness]
	m := managedfake.Start(t, managedfake.Options{MasterKey: "mk", TTY: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		harness.Load().ServeHTTP(w, r)
	})})
	h, err := harnessfake.New(harnessfake.Options{Token: m.TTYToken, Direct: true,
		Command: []string{"/bin/sh", "-c", `printf '\033[2J\033[HHARNESS SCREEN\r\nline two\r\n'; exec sleep 30`}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	harness.Store(h)
	c := apitest.NewClient(t, m.URL, "mk")
	sess, tm := fakeSession(t, c, "claude-code", 120, 30, true)
	waitFor(t, tm, "ready")
	press(tm, "enter")
	waitFor(t, tm, sess.ID, "Screen (live, read-only)", "HARNESS SCREEN", "line two")
	// Managed ids are hex, which the shared mask does not cover.
	requireGolden(t, managedID.ReplaceAllString(finalFrame(t, tm), "ses_managed"))
}

// TestErroredSessionDetail: Enter on an errored session of the embedded
// server opens its page with the whole failure reason.
func TestErroredSessionDetail(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "sh"))
	c := apitest.NewClient(t, inst.URL, inst.Key)
	// Nothing listens on port 1: the clone fails, and says so.
	sess, tm := fakeSessionOf(t, c, &spec.AgentSpec{Name: "fakeagent", Model: "anthropic/claude-sonnet-4-6", Harness: "claude-code",
		Prompt: "help", OwnerID: "ops", RepoURL: "http://127.0.0.1:1/none.git"}, 160, 30)
	waitFor(t, tm, "error")
	got, err := c.GetSession(context.Background(), sess.ID)
	if err != nil || got.Status != spec.SessionError || len(got.FailureReason) < 20 {
		t.Fatalf("session %+v, %v: want an errored session with a reason", got, err)
	}
	press(tm, "enter")
	waitFor(t, tm, "Sessions › "+sess.ID, "Failure", got.FailureReason[:20], "No terminal to watch")
}

// TestAttachEndsOnTheSessionPage: an attach that gave up waiting opens
// the session's page with the server's diagnostics; Esc during the wait
// only says the session goes on.
func TestAttachEndsOnTheSessionPage(t *testing.T) {
	t.Parallel()
	c, agents := seeded(t)
	sess := mustSession(t, c, agents[1].ID)
	tm := startReady(t, testOptions(c), 120, 30)
	tm.Type("2")
	waitFor(t, tm, sess.ID)
	stale := *sess
	stale.Status, stale.Phase, stale.PhaseDetail = spec.SessionStarting, spec.PhaseCloningRepo, "fetching 3/5"
	tm.Send(common.AttachDoneMsg{Session: sess, Err: &ptyattach.StartTimeoutError{Session: &stale, Waited: 10 * time.Minute}})
	waitFor(t, tm, "still starting after 10m0s", "Sessions › "+sess.ID, "phase detail:", "fetching 3/5")
	press(tm, "esc")
	tm.Send(common.AttachDoneMsg{Session: sess, Err: ptyattach.ErrStoppedWaiting})
	waitFor(t, tm, "stopped waiting for "+sess.ID)
}

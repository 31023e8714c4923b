package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"lapctl/internal/apitest"
	"lapctl/spec"
)

func TestSessionMessage(t *testing.T) {
	c, agents := seeded(t)
	mustSession(t, c, agents[0].ID)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("2")
	waitFor(t, tm, "ready")
	tm.Type("m")
	waitFor(t, tm, "No messages yet.")
	tm.Type("hello there")
	press(tm, "ctrl+s")
	waitFor(t, tm, "echo: hello there")
	// The live poll may catch the session still running the message.
	frame := strings.Replace(finalFrame(t, tm), "alpha · running", "alpha · idle", 1)
	if !strings.Contains(frame, "you") || !strings.Contains(frame, "echo: hello there") {
		t.Fatalf("want the message and its echo:\n%s", frame)
	}
	requireGolden(t, frame)
}

func TestSessionStop(t *testing.T) {
	c, agents := seeded(t)
	sess := mustSession(t, c, agents[0].ID)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("2")
	waitFor(t, tm, "ready")
	tm.Type("x")
	waitFor(t, tm, "Stop session")
	tm.Type("y")
	waitFor(t, tm, "stopped session")
	got, err := c.GetSession(context.Background(), sess.ID)
	if err == nil && got.Live() {
		t.Fatalf("session still live: %+v", got)
	}
}

// fakeAttach stands in for ptyattach: it records the session, prints a
// marker on the terminal it was handed, and ends at once, as a detach
// would.
type fakeAttach struct {
	calls atomic.Int32
	last  atomic.Pointer[spec.Session]
}

func (f *fakeAttach) attach(sess *spec.Session) (tea.ExecCommand, error) {
	f.calls.Add(1)
	f.last.Store(sess)
	return &execMarker{id: sess.ID}, nil
}

type execMarker struct {
	id  string
	out io.Writer
}

func (e *execMarker) Run() error {
	_, err := io.WriteString(e.out, "[attached to "+e.id+"]")
	return err
}
func (e *execMarker) SetStdin(io.Reader)    {}
func (e *execMarker) SetStdout(w io.Writer) { e.out = w }
func (e *execMarker) SetStderr(io.Writer)   {}

func TestStartAndAttachPausedAgent(t *testing.T) {
	c, agents := seeded(t)
	if _, err := c.PauseAgent(context.Background(), agents[1].ID); err != nil {
		t.Fatal(err)
	}
	fa := &fakeAttach{}
	opts := testOptions(c)
	opts.Attach = fa.attach
	tm := startReady(t, opts, 100, 30)
	press(tm, "down")
	tm.Type("a")
	waitFor(t, tm, "Resume beta?")
	tm.Type("y")
	// The marker the attach itself prints reaches the program's output
	// (not a frame). The status after the attach is checked in
	// TestAttachDoneStatus.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("[attached to ses_")) },
		teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if fa.calls.Load() != 1 || fa.last.Load().AgentID != agents[1].ID {
		t.Fatalf("attach calls = %d, session %+v", fa.calls.Load(), fa.last.Load())
	}
	a, err := c.GetAgent(context.Background(), agents[1].ID)
	if err != nil || a.Status != spec.StatusActive {
		t.Fatalf("beta should be resumed: %+v %v", a, err)
	}
}

func TestAttachErrorShown(t *testing.T) {
	c, _ := seeded(t)
	opts := testOptions(c)
	opts.Attach = func(*spec.Session) (tea.ExecCommand, error) { return nil, errors.New("no terminal here") }
	tm := startReady(t, opts, 100, 30)
	press(tm, "down")
	tm.Type("a")
	waitFor(t, tm, "no terminal here")
}

func TestStartSessionSwitchesPage(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("s")
	waitFor(t, tm, "started session", "Sessions 1")
}

func TestPauseResume(t *testing.T) {
	c, agents := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("p")
	waitFor(t, tm, "alpha is now paused")
	a, err := c.GetAgent(context.Background(), agents[0].ID)
	if err != nil || a.Status != spec.StatusPaused {
		t.Fatalf("alpha should be paused: %+v %v", a, err)
	}
}

func TestUnauthorizedHint(t *testing.T) {
	inst, _ := startServer(t)
	c := apitest.NewClient(t, inst.URL, "sk-wrong")
	tm := startTM(t, testOptions(c), 100, 30)
	waitFor(t, tm, "list agents:", "lapctl login")
}

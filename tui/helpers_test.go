package tui

import (
	"context"
	"lapctl/internal/framerec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"lapctl/client"
	"lapctl/config"
	"lapctl/internal/apitest"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// startServer runs the embedded server with an API harness that echoes
// each message back with an "echo: " prefix and a TUI harness that is a
// shell.
func startServer(t *testing.T) (*servertest.Instance, *client.Client) {
	t.Helper()
	inst := servertest.Start(t,
		servertest.WithHarnessCmd("opencode", "sed 's/^/echo: /'"),
		servertest.WithHarnessCmd("claude-code", "sh"),
	)
	return inst, apitest.NewClient(t, inst.URL, inst.Key)
}

// seeded starts a server holding seedAgents' agents and skill.
func seeded(t *testing.T) (*client.Client, []*spec.Agent) {
	t.Helper()
	_, c := startServer(t)
	return c, seedAgents(t, c)
}

// testOptions points the console at c with a fixed header (the server's
// port varies), a slow health check (one check is enough) and a clock
// stopped when the test starts, so relative times ("just now",
// "refreshed just now") do not depend on how fast the machine is.
func testOptions(c *client.Client) Options {
	return Options{
		Now:            (&testClock{at: time.Now()}).Now,
		Client:         c,
		Endpoint:       config.Endpoint{Context: "test", BaseURL: "http://lapctl.test", OwnerID: "ops"},
		User:           "tester",
		HealthInterval: time.Hour,
		PollInterval:   100 * time.Millisecond,
		Getenv:         func(string) string { return "" },
	}
}

// testClock is a clock that moves only when told.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

func mustAgent(t *testing.T, c *client.Client, s spec.AgentSpec) *spec.Agent {
	t.Helper()
	if s.OwnerID == "" {
		s.OwnerID = "ops"
	}
	a, err := c.CreateAgent(context.Background(), &s)
	if err != nil {
		t.Fatalf("seeding agent %s: %v", s.Name, err)
	}
	return a
}

// mustSession starts a session of agent id.
func mustSession(t *testing.T, c *client.Client, id string) *spec.Session {
	t.Helper()
	s, err := c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: id})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seedAgents creates three agents: an API one with env and a skill, a TUI
// one, and a paused API one.
func seedAgents(t *testing.T, c *client.Client) []*spec.Agent {
	t.Helper()
	ctx := context.Background()
	sk, err := c.CreateSkill(ctx, &spec.SkillSpec{Name: "reviewer", Description: "Reviews pull requests", Content: "Review the diff.\nBe kind.", OwnerID: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	alpha := mustAgent(t, c, spec.AgentSpec{
		Name: "alpha", Model: "anthropic/claude-sonnet-4-6", Harness: "opencode",
		Description: "Answers questions", System: "You are alpha.",
		EnvVars:  map[string]string{"GITHUB_TOKEN": "ghp_supersecretvalue"},
		SkillIDs: []string{sk.ID},
	})
	beta := mustAgent(t, c, spec.AgentSpec{Name: "beta", Model: "openai/gpt-5-codex", Harness: "claude-code"})
	// gamma is never started: its repository would be cloned.
	gamma := mustAgent(t, c, spec.AgentSpec{Name: "gamma", Model: "anthropic/claude-opus-4-5", Harness: "opencode",
		RepoURL: "https://github.com/example/gamma", Branch: "main"})
	for _, a := range []*spec.Agent{alpha, beta} {
		if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return []*spec.Agent{alpha, beta, gamma}
}

// sizes remembers each test program's terminal size, so finalFrame can
// check that the frame fits it; recorders its frames, for waitFor.
var (
	sizes     sync.Map // *teatest.TestModel → [2]int
	recorders sync.Map // *teatest.TestModel → *recorder
)

func startTM(t *testing.T, opts Options, w, h int) *teatest.TestModel {
	t.Helper()
	rec := &recorder{Model: New(opts)}
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	sizes.Store(tm, [2]int{w, h})
	recorders.Store(tm, rec)
	t.Cleanup(func() { _ = tm.Quit(); sizes.Delete(tm); recorders.Delete(tm) })
	return tm
}

// startReady starts the console and waits until it is ready: the health
// check answered and the agents page loaded (gamma is listed last).
func startReady(t *testing.T, opts Options, w, h int) *teatest.TestModel {
	t.Helper()
	tm := startTM(t, opts, w, h)
	waitFor(t, tm, "● ok", "gamma")
	return tm
}

// atBothSizes runs f as a subtest at each terminal size the golden frames
// are kept at.
func atBothSizes(t *testing.T, f func(t *testing.T, w, h int)) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"120x40", 120, 40}, {"100x30", 100, 30}, {"80x24", 80, 24}} {
		t.Run(size.name, func(t *testing.T) { f(t, size.w, size.h) })
	}
}

// checkFits fails unless frame is exactly h lines of at most w cells:
// every page must size itself to the window.
func checkFits(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d:\n%s", len(lines), h, frame)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, lw, w, l)
		}
	}
}

// waitFor waits until everything in want has been drawn. It reads the
// frames the model drew, so each call sees only what was drawn since the
// previous one.
func waitFor(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	rec, ok := recorders.Load(tm)
	if !ok {
		t.Fatal("waitFor: not a program started by startTM")
	}
	rec.(*recorder).WaitFor(t, want...)
}

// press sends the key named k (see keyMsg).
func press(tm *teatest.TestModel, k string) { tm.Send(keyMsg(k)) }

// finalFrame quits the program and returns its last frame, normalised.
func finalFrame(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
	view := ansi.Strip(m.(*recorder).Model.View().Content)
	if size, ok := sizes.Load(tm); ok {
		checkFits(t, view, size.([2]int)[0], size.([2]int)[1])
	}
	return normalize(view)
}

var (
	idPattern    = regexp.MustCompile(`\b(agent|skill|ses)_[a-z2-7]{1,20}`)
	stampPattern = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d UTC`)
	spinPattern  = regexp.MustCompile(`[⠁-⣿]`)
)

// normalize masks what varies between runs (ids, clock times) keeping
// every width, and drops trailing blanks.
func normalize(frame string) string {
	frame = idPattern.ReplaceAllStringFunc(frame, func(id string) string {
		i := strings.IndexByte(id, '_')
		return id[:i+1] + strings.Repeat("x", len(id)-i-1)
	})
	frame = stampPattern.ReplaceAllString(frame, "YYYY-MM-DD hh:mm UTC")
	frame = spinPattern.ReplaceAllString(frame, "*")
	lines := strings.Split(frame, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func requireGolden(t *testing.T, frame string) {
	t.Helper()
	golden.RequireEqual(t, []byte(frame))
}

// keyMsg is the key press named k as Bubble Tea v2 reports it: "enter",
// "tab", "shift+tab", "esc", arrows, "space", "ctrl+x", "alt+x",
// "backspace", "end", "home", "delete", "pgup", "pgdown", or text.
func keyMsg(k string) tea.KeyPressMsg { return framerec.Key(k) }

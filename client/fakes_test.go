package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/internal/gatewayfake"
	"lapctl/internal/managedfake"
	"lapctl/spec"
)

func probedClient(t *testing.T, url, key string) (*client.Client, *[]client.Platform) {
	t.Helper()
	var learned []client.Platform
	c, err := client.New(client.Options{BaseURL: url, APIKey: key, Retries: -1, OnProbe: func(p client.Platform) { learned = append(learned, p) }})
	if err != nil {
		t.Fatal(err)
	}
	return c, &learned
}

func TestProbeGateway(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "k", ReplyDelay: 30 * time.Millisecond})
	c, learned := probedClient(t, g.URL, "k")
	ctx := context.Background()
	if p, err := c.Detect(ctx); p != client.PlatformGateway || err != nil {
		t.Fatalf("Detect = %q, %v", p, err)
	}
	if len(*learned) != 1 || c.PlatformSource() != client.SourceProbed {
		t.Errorf("OnProbe calls %v, source %q", *learned, c.PlatformSource())
	}
	// The catalog the gateway lacks (its web UI answers) falls back.
	hs, err := c.Harnesses(ctx)
	if err != nil || len(hs) != 1 || hs[0].ID != "claude-code" || hs[0].IsTUI() {
		t.Fatalf("Harnesses = %+v, %v", hs, err)
	}
	s := &spec.AgentSpec{Name: "rev", OwnerID: "o", Model: "m1", Harness: "codex", EnvVars: map[string]string{"TOKEN": "x"}, DenyOut: []string{"evil.example"}}
	a, err := c.CreateAgent(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	var lost []string
	for _, l := range client.CompareCreate(s, a) {
		lost = append(lost, l.Field)
	}
	if want := "[harness deny_out env_vars.TOKEN]"; fmtList(lost) != want {
		t.Errorf("losses %v, want %s", lost, want)
	}
	if len(a.Raw) == 0 {
		t.Error("Raw not kept")
	}
	// The builder's session and ours, bound by agent id.
	sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if sess.AgentID != a.ID || sess.SupportsTUI == nil || *sess.SupportsTUI {
		t.Errorf("session %+v: want bound to %s, no TTY", sess, a.ID)
	}
	if b := g.Bodies("POST /session"); len(b) != 1 || b[0]["agent"] != a.ID {
		t.Errorf("POST /session bodies %v, want agent: %s", b, a.ID)
	}
	// The gateway reads prompt only with a runtime: it goes as the first message.
	withPrompt, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Prompt: "start here"})
	if err != nil {
		t.Fatal(err)
	}
	if b := g.Bodies("POST /session/" + withPrompt.ID + "/message"); len(b) != 1 || !strings.Contains(fmt.Sprint(b[0]["parts"]), "start here") {
		t.Errorf("first message bodies %v", b)
	}
	if err := c.DeleteSession(ctx, withPrompt.ID); err != nil {
		t.Fatal(err)
	}
	mine, err := c.ListSessions(ctx, a.ID)
	if err != nil || len(mine) != 2 {
		t.Fatalf("ListSessions(agent) = %d sessions, %v; want the builder's and ours", len(mine), err)
	}
	reply, err := c.SendMessage(ctx, sess.ID, "hello", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(reply) != 1 || reply[0].Text() != "echo: hello" {
		t.Errorf("reply = %+v", reply)
	}
	if b := g.Bodies("POST /session/" + sess.ID + "/message"); len(b) != 1 || b[0]["model"].(map[string]any)["modelID"] != "m1" {
		t.Errorf("message bodies %v, want the agent's model", b)
	}
}

func fmtList(l []string) string {
	out := "["
	for i, s := range l {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out + "]"
}

func TestProbeManagedAndSessionPhases(t *testing.T) {
	t.Parallel()
	m := managedfake.Start(t, managedfake.Options{MasterKey: "k", PhaseStep: 2 * time.Millisecond})
	c, _ := probedClient(t, m.URL, "k")
	ctx := context.Background()
	if p, err := c.Detect(ctx); p != client.PlatformManaged || err != nil {
		t.Fatalf("Detect = %q, %v", p, err)
	}
	_, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "x", OwnerID: "o", Model: "m", SandboxFiles: []spec.SandboxFile{{Name: "f", SandboxPath: "/f", Content: "eA==", Size: 1}}, Harness: "nope"})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Message == "" {
		t.Fatalf("unknown harness: %v", err)
	}
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "coder", Model: "m", System: "be brief", Harness: "claude-code",
		RepoURL: "https://github.com/a/b", Requirements: "x==1", EnvVars: map[string]string{"A": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	if l := client.CompareCreate(&spec.AgentSpec{Name: "coder", Model: "m", System: "be brief", Harness: "claude-code",
		RepoURL: "https://github.com/a/b", Requirements: "x==1", EnvVars: map[string]string{"A": "1"}}, a); len(l) != 0 {
		t.Errorf("managed keeps all of these, got losses %v", l)
	}
	if !a.SupportsTUI || a.CreatedAt == 0 || a.Harness != "claude-code" {
		t.Errorf("agent %+v", a)
	}
	sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: "t", EnvVars: map[string]string{"B": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if sess.Status != spec.SessionStarting || sess.SupportsTUI == nil || !*sess.SupportsTUI {
		t.Fatalf("new session %+v", sess)
	}
	deadline := time.Now().Add(5 * time.Second)
	for sess.Status == spec.SessionStarting && time.Now().Before(deadline) {
		if sess, err = c.GetSession(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
	}
	if sess.Status != spec.SessionRunning || sess.Phase != "ready" || sess.TTYToken != m.TTYToken {
		t.Errorf("ready session %+v", sess)
	}
	if _, err := c.ListSessions(ctx, ""); !isUnsupported(err) {
		t.Errorf("ListSessions on managed: %v, want UnsupportedError", err)
	}
	if err := c.DeleteAgent(ctx, a.ID); err != nil {
		t.Errorf("DELETE 204: %v", err)
	}
}

func isUnsupported(err error) bool {
	var ue *client.UnsupportedError
	return errors.As(err, &ue)
}

func TestManagedZodIssuesAreFieldLines(t *testing.T) {
	t.Parallel()
	m := managedfake.Start(t, managedfake.Options{})
	c, err := client.New(client.Options{BaseURL: m.URL, Platform: client.PlatformManaged, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	// spec.Validate would refuse these before sending: patch past it by
	// editing an agent with a file that breaks only the server's rules.
	a, err := c.CreateAgent(context.Background(), &spec.AgentSpec{Name: "z", OwnerID: "o", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	bad := ""
	_, err = c.UpdateAgent(context.Background(), a.ID, &spec.AgentPatch{Model: &bad})
	var ae *client.APIError
	if !errors.As(err, &ae) || len(ae.Issues) != 1 || ae.Issues[0].Field != "model" {
		t.Fatalf("err = %v, want one zod issue on model", err)
	}
}

// A cached dialect that no longer matches the server is probed again on
// the first reply in another dialect's shape, and the call is redone.
func TestStaleCachedPlatformIsProbedAgain(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{})
	m := managedfake.Start(t, managedfake.Options{})
	for _, tc := range []struct {
		url    string
		cached client.Platform
		want   client.Platform
	}{
		{g.URL, client.PlatformLapctl, client.PlatformGateway},
		{m.URL, client.PlatformGateway, client.PlatformManaged},
		{m.URL, client.PlatformLapctl, client.PlatformManaged},
	} {
		var learned []client.Platform
		c, err := client.New(client.Options{BaseURL: tc.url, Retries: -1, CachedPlatform: tc.cached,
			OnProbe: func(p client.Platform) { learned = append(learned, p) }})
		if err != nil {
			t.Fatal(err)
		}
		page, err := c.ListAgents(context.Background(), client.ListAgentsParams{})
		if err != nil || page == nil {
			t.Fatalf("cached %s on a %s server: %v", tc.cached, tc.want, err)
		}
		if c.Platform() != tc.want || len(learned) != 1 || learned[0] != tc.want {
			t.Errorf("cached %s: platform %s, probes %v; want %s", tc.cached, c.Platform(), learned, tc.want)
		}
	}
	// Forced is never second-guessed: the error stands.
	c, err := client.New(client.Options{BaseURL: m.URL, Retries: -1, Platform: client.PlatformGateway})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListAgents(context.Background(), client.ListAgentsParams{}); err == nil || c.Platform() != client.PlatformGateway {
		t.Errorf("forced gateway on managed: %v, platform %s", err, c.Platform())
	}
}

func TestHealthOnEveryFake(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "k"})
	m := managedfake.Start(t, managedfake.Options{MasterKey: "k"})
	for _, url := range []string{g.URL, m.URL} {
		c, _ := probedClient(t, url, "k")
		if err := c.Health(context.Background()); err != nil {
			t.Errorf("%s: %v", url, err)
		}
	}
}

func TestConcurrentFirstCallsProbeOnce(t *testing.T) {
	t.Parallel()
	g := gatewayfake.Start(t, gatewayfake.Options{})
	var mu sync.Mutex
	probes := 0
	c, err := client.New(client.Options{BaseURL: g.URL, Retries: -1, OnProbe: func(client.Platform) { mu.Lock(); probes++; mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Platform() // never blocks on the probe's I/O
			_, err := c.ListAgents(context.Background(), client.ListAgentsParams{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if probes != 1 || g.Requests("GET /api/agents") != 9 {
		t.Errorf("probes %d, list requests %d; want 1 probe and 8 lists after it", probes, g.Requests("GET /api/agents"))
	}
}

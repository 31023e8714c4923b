package sessions_test

import (
	"context"
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/server/servertest"
	"lapctl/spec"
)

func newEnv(t *testing.T) (*clitest.Env, *spec.Agent, *spec.Agent) {
	t.Helper()
	// The API harness upper-cases each message; the TUI one echoes keys.
	e := clitest.New(t, servertest.WithHarnessCmd("opencode", "tr a-z A-Z"), servertest.WithHarnessCmd("claude-code", "cat"))
	c := e.Client()
	api, err := c.CreateAgent(context.Background(), &spec.AgentSpec{Name: "api-agent", OwnerID: clitest.Owner, Harness: "opencode"})
	if err != nil {
		t.Fatal(err)
	}
	tui, err := c.CreateAgent(context.Background(), &spec.AgentSpec{Name: "tui-agent", OwnerID: clitest.Owner, Harness: "claude-code"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*spec.Agent{api, tui} {
		if _, err := c.ResumeAgent(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return e, api, tui
}

func TestSessionsAPIHarness(t *testing.T) {
	e, api, _ := newEnv(t)

	var s spec.Session
	e.JSON(&s, "sessions", "create", "--agent", "api-agent", "--title", "first", "--env", "EXTRA=1", "--model", "m9", "--json")
	if s.AgentID != api.ID || s.Title != "first" || !strings.HasPrefix(s.ID, "ses_") || s.Harness != "opencode" {
		t.Errorf("created %+v", s)
	}
	if s.Environment == nil || s.Environment.Model != "m9" {
		t.Errorf("environment = %+v", s.Environment)
	}

	if out := e.OK("sessions", "send", s.ID, "hello there"); out != "HELLO THERE\n" {
		t.Errorf("send printed %q", out)
	}
	if r := e.RunOpts(clitest.Opts{Stdin: "from stdin"}, "sessions", "send", "first"); r.Code != 0 || r.Out != "FROM STDIN\n" {
		t.Errorf("send from stdin: %d %q %q", r.Code, r.Out, r.Err)
	}
	var reply []spec.Message
	e.JSON(&reply, "sessions", "send", s.ID, "json please", "--json")
	if len(reply) != 1 || reply[0].Info.Role != "assistant" || reply[0].Text() != "JSON PLEASE" {
		t.Errorf("reply = %+v", reply)
	}
	e.Run("sessions", "send", s.ID, "  ").Fail(t, 7, "parts", "[required]")
	e.RunOpts(clitest.Opts{TTY: true}, "sessions", "send", s.ID).Fail(t, 2, "pipe it on stdin")

	var history []spec.Message
	e.JSON(&history, "sessions", "messages", s.ID, "--json")
	if len(history) != 6 || history[0].Info.Role != "user" || history[0].Text() != "hello there" || history[1].Text() != "HELLO THERE" {
		t.Errorf("history = %+v", history)
	}
	if out := e.OK("sessions", "messages", "first"); !strings.Contains(out, "user:\nhello there\n") || !strings.Contains(out, "assistant:\nHELLO THERE\n") {
		t.Errorf("history text:\n%s", out)
	}
	if out := e.OK("sessions", "logs", "first", "--tail", "2"); out != "user:\njson please\n\nassistant:\nJSON PLEASE\n" {
		t.Errorf("logs --tail 2:\n%s", out)
	}
	e.Run("sessions", "logs", "first", "--raw").Fail(t, 5, "has no terminal, so no raw output")
	e.Run("sessions", "logs", "no-such-session").Fail(t, 3, "no-such-session")

	var listed []spec.Session
	e.JSON(&listed, "sessions", "list", "--agent", "api-agent", "--json")
	if len(listed) != 1 || listed[0].ID != s.ID {
		t.Errorf("list --agent = %+v", listed)
	}
	row := strings.Split(strings.TrimSpace(e.OK("sessions", "list")), "\t")
	if len(row) != 6 || row[0] != s.ID || row[1] != "first" || row[3] != "opencode (API)" {
		t.Errorf("piped row = %q", row)
	}

	e.Run("sessions", "delete", s.ID).Fail(t, 2, "--yes")
	var del struct{ Deleted []string }
	e.JSON(&del, "sessions", "stop", "first", "--yes", "--json")
	if len(del.Deleted) != 1 || del.Deleted[0] != s.ID {
		t.Errorf("deleted = %v", del.Deleted)
	}
	if got, err := e.Client().GetSession(context.Background(), s.ID); err == nil && got.Live() {
		t.Errorf("session still live after stop: %+v", got)
	}
}

func TestSessionsTUIHarness(t *testing.T) {
	e, _, tui := newEnv(t)
	id := strings.TrimSpace(e.OK("sessions", "create", "--agent", tui.ID))
	if !strings.HasPrefix(id, "ses_") {
		t.Fatalf("create printed %q, want the id", id)
	}
	var s spec.Session
	e.JSON(&s, "sessions", "get", id, "--json")
	if s.Kind != spec.KindTUI || s.TTYURL == "" || s.TTYToken == "" {
		t.Errorf("session = %+v", s)
	}
	var full spec.Session
	e.JSON(&full, "sessions", "get", id, "--json", "--show-secrets")
	if full.TTYToken == s.TTYToken || !strings.HasSuffix(s.TTYToken, "****") {
		t.Errorf("token masked %q, full %q", s.TTYToken, full.TTYToken)
	}
	out := e.OK("sessions", "get", id)
	if !strings.Contains(out, "TTY URL:") || !strings.Contains(out, "ws://127.0.0.1") || strings.Contains(out, full.TTYToken) {
		t.Errorf("detail:\n%s", out)
	}
	// No message mode on a terminal session: exit 5, as for any conflict.
	e.Run("sessions", "send", id, "hi").Fail(t, 5, "lapctl attach "+id)
	e.RunOpts(clitest.Opts{TTY: true}, "sessions", "create", "--agent", "api-agent", "--attach").Fail(t, 5, "sessions send")
	// Logs of a terminal that printed nothing yet: said on stderr, no token.
	if r := e.Run("sessions", "logs", id); r.Code != 0 || r.Out != "" || !strings.Contains(r.Err, "shown nothing on its terminal yet") || strings.Contains(r.Err, full.TTYToken) {
		t.Errorf("logs of a blank terminal: %d %q %q", r.Code, r.Out, r.Err)
	}
	if out := e.OK("__complete", "sessions", "logs", ""); !strings.Contains(out, id) {
		t.Errorf("completion of sessions logs offers no %s:\n%s", id, out)
	}
	e.OK("sessions", "delete", id, "--yes")
}

func TestSessionsCreateValidation(t *testing.T) {
	e, _, _ := newEnv(t)
	e.Run("sessions", "create").Fail(t, 2, "--agent")
	e.Run("sessions", "create", "--agent", "api-agent", "--env", "BAD-KEY=1").Fail(t, 7, "env_vars.BAD-KEY", "[key_pattern]")
	e.Run("sessions", "create", "--agent", "api-agent", "--env", "NOVALUE").Fail(t, 2, "KEY=VALUE")
	e.Run("sessions", "create", "--agent", "nobody").Fail(t, 3, "nobody")
	e.Run("sessions", "create", "--agent", "api-agent", "--attach").Fail(t, 2, "terminal")
	sessions, err := e.Client().ListSessions(context.Background(), "")
	if err != nil || len(sessions) != 0 {
		t.Errorf("sessions were created: %v %v", sessions, err)
	}
}

package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/spec"
)

func TestCreateSession(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "POST", path: "/session",
		body: `{"agent_id":"agent_7f3a","title":"fix flaky test","prompt":"Start with CI.",
			"environment":{"model":"anthropic/claude-sonnet-4-6","repository":"https://github.com/acme/app.git","ref":"main"},
			"env_vars":{"DEBUG":"1"}}`,
		resp: fixture(t, "session_tui.json")})
	s, err := m.client().CreateSession(context.Background(), &spec.SessionSpec{
		AgentID: "agent_7f3a", Title: "fix flaky test", Prompt: "Start with CI.",
		Environment: &spec.SessionEnvironment{Model: "anthropic/claude-sonnet-4-6", Repository: "https://github.com/acme/app.git", Ref: "main"},
		EnvVars:     map[string]string{"DEBUG": "1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var want spec.Session
	if err := json.Unmarshal([]byte(fixture(t, "session_tui.json")), &want); err != nil {
		t.Fatal(err)
	}
	if s.SupportsTUI == nil || !*s.SupportsTUI {
		t.Errorf("SupportsTUI = %v, want true from kind tui", s.SupportsTUI)
	}
	want.Raw, want.SupportsTUI = s.Raw, s.SupportsTUI
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("session = %+v\nwant %+v", *s, want)
	}
	if s.Kind != spec.KindTUI || s.Phase != spec.PhaseReady || s.ExitCode == nil || *s.ExitCode != 0 || !s.Live() {
		t.Errorf("session = %+v", s)
	}
}

func TestCreateSessionMinimalAndInvalid(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "POST", path: "/session", body: `{"agent_id":"agent_1"}`, resp: fixture(t, "session_hosted.json")})
	c := m.client()
	s, err := c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: "agent_1"})
	if err != nil {
		t.Fatal(err)
	}
	// A hosted server's session: no kind, phase, exit code or tty.
	if s.ID != "ses_h1" || s.Kind != "" || s.Phase != "" || s.ExitCode != nil || s.TTYURL != "" || s.Time.Updated != 1700000002000 {
		t.Errorf("hosted session = %+v", s)
	}
	for _, bad := range []*spec.SessionSpec{
		{AgentID: " "},
		{AgentID: "agent_1", EnvVars: map[string]string{"PORT": "1"}},
		{AgentID: "agent_1", EnvVars: map[string]string{"A B": "1"}},
	} {
		_, err := c.CreateSession(context.Background(), bad)
		var es spec.Errors
		if !errors.As(err, &es) {
			t.Errorf("CreateSession(%+v) = %v, want spec.Errors", bad, err)
		}
	}
}

func TestListSessions(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/session", resp: `[` + fixture(t, "session_tui.json") + `,` + fixture(t, "session_hosted.json") + `]`},
		&route{method: "GET", path: "/session", query: q("agent_id", "agent_h1"), resp: `[` + fixture(t, "session_hosted.json") + `]`},
		&route{method: "GET", path: "/session", query: q("agent_id", "agent_none"), resp: `null`},
	)
	c := m.client()
	all, err := c.ListSessions(context.Background(), "")
	if err != nil || len(all) != 2 || all[0].ID != "ses_9b1" || all[1].ID != "ses_h1" {
		t.Fatalf("ListSessions = %+v, %v", all, err)
	}
	one, err := c.ListSessions(context.Background(), "agent_h1")
	if err != nil || len(one) != 1 || one[0].AgentID != "agent_h1" {
		t.Fatalf("ListSessions(agent) = %+v, %v", one, err)
	}
	none, err := c.ListSessions(context.Background(), "agent_none")
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("ListSessions(null) = %#v, %v", none, err)
	}
}

func TestGetAndDeleteSession(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/session/ses_9b1", resp: fixture(t, "session_tui.json")},
		&route{method: "GET", path: "/session/ses_nope", status: 404, resp: `{"error":{"type":"not_found","message":"session ses_nope not found"}}`},
		&route{method: "DELETE", path: "/session/ses_9b1", resp: `true`, times: 2},
	)
	c := m.client()
	s, err := c.GetSession(context.Background(), "ses_9b1")
	if err != nil || s.TTYToken != "TTYTOKEN-c0ffee-4242-MUST-NOT-LEAK" || s.TTYURL != "/session/ses_9b1/tty" {
		t.Fatalf("GetSession = %+v, %v", s, err)
	}
	if _, err := c.GetSession(context.Background(), "ses_nope"); !client.IsNotFound(err) {
		t.Fatalf("GetSession(missing) = %v", err)
	}
	// Idempotent: stopping twice is fine.
	for range 2 {
		if err := c.DeleteSession(context.Background(), "ses_9b1"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSendMessage(t *testing.T) {
	reply := `[{"info":{"id":"msg_2","sessionID":"ses_1","role":"assistant","modelID":"m"},
		"parts":[{"type":"text","text":"Hello"},{"type":"step-start"},{"type":"text","text":" there"}]}]`
	m := newMock(t)
	m.on(
		&route{method: "POST", path: "/session/ses_1/message",
			body: `{"model":{"modelID":"anthropic/claude-sonnet-4-6"},"parts":[{"type":"text","text":"hi <there> & \"you\""}]}`,
			resp: reply},
		&route{method: "POST", path: "/session/ses_1/message",
			body: `{"parts":[{"type":"text","text":"no model"}]}`, resp: reply},
		&route{method: "POST", path: "/session/ses_tui/message", anyBody: true, status: 409,
			resp: `{"error":{"type":"conflict","message":"attach to tty_url"}}`},
	)
	c := m.client()
	msgs, err := c.SendMessage(context.Background(), "ses_1", `hi <there> & "you"`, "anthropic/claude-sonnet-4-6")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Info.Role != "assistant" || msgs[0].Text() != "Hello there" || msgs[0].Info.SessionID != "ses_1" {
		t.Fatalf("reply = %+v", msgs)
	}
	if _, err := c.SendMessage(context.Background(), "ses_1", "no model", ""); err != nil {
		t.Fatal(err)
	}
	_, err = c.SendMessage(context.Background(), "ses_tui", "hi", "")
	if !client.IsConflict(err) || !strings.Contains(err.Error(), "attach to tty_url") {
		t.Fatalf("TUI session: %v", err)
	}
}

func TestSendMessageEmptyTextRefusedLocally(t *testing.T) {
	m := newMock(t) // no routes
	for _, text := range []string{"", " ", "\n\t "} {
		msgs, err := m.client().SendMessage(context.Background(), "ses_1", text, "")
		var es spec.Errors
		if msgs != nil || !errors.As(err, &es) || es.Field("parts") == nil || es.Field("parts").Rule != spec.RuleRequired {
			t.Errorf("SendMessage(%q) = %v, %v", text, msgs, err)
		}
	}
}

func TestMessages(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/session/ses_1/message", resp: `[
		{"info":{"role":"user","created":1},"parts":[{"type":"text","text":"hi"}]},
		{"info":{"role":"assistant","created":2},"parts":[{"type":"text","text":"hello"}]}]`})
	msgs, err := m.client().Messages(context.Background(), "ses_1")
	if err != nil {
		t.Fatal(err)
	}
	want := []spec.Message{
		{Info: spec.MessageInfo{Role: "user", Created: 1}, Parts: []spec.Part{{Type: "text", Text: "hi"}}},
		{Info: spec.MessageInfo{Role: "assistant", Created: 2}, Parts: []spec.Part{{Type: "text", Text: "hello"}}},
	}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("Messages = %+v", msgs)
	}
}

func TestResolveTTYURL(t *testing.T) {
	for _, tc := range []struct {
		base, raw string
		want      string // "" means an error
	}{
		{"http://127.0.0.1:4000", "/session/ses_1/tty", "ws://127.0.0.1:4000/session/ses_1/tty"},
		{"https://lap.example.com", "/session/ses_1/tty", "wss://lap.example.com/session/ses_1/tty"},
		{"http://127.0.0.1:4000", "/session/ses_1/tty?x=1", "ws://127.0.0.1:4000/session/ses_1/tty?x=1"},
		{"http://127.0.0.1:4000", "http://10.0.0.5:8080/tty", "ws://10.0.0.5:8080/tty"},
		{"http://127.0.0.1:4000", "https://sandbox.example.com/s/1/tty", "wss://sandbox.example.com/s/1/tty"},
		{"https://lap.example.com", "ws://pty.example.com/tty", "ws://pty.example.com/tty"},
		{"http://127.0.0.1:4000", "wss://pty.example.com:8443/tty", "wss://pty.example.com:8443/tty"},
		// A base URL with a path prefix keeps it for relative paths...
		{"https://corp.example.com/lap", "/session/ses_1/tty", "wss://corp.example.com/lap/session/ses_1/tty"},
		{"https://corp.example.com/lap/", "/session/ses_1/tty", "wss://corp.example.com/lap/session/ses_1/tty"},
		// ...but not for absolute URLs.
		{"https://corp.example.com/lap", "https://pty.example.com/tty", "wss://pty.example.com/tty"},
		{"http://127.0.0.1:4000", "ftp://x/tty", ""},
		{"http://127.0.0.1:4000", "file:///tmp/tty", ""},
		{"http://127.0.0.1:4000", "http://[::1", ""},
	} {
		base, err := url.Parse(tc.base)
		if err != nil {
			t.Fatal(err)
		}
		got, err := client.ResolveTTYURL(base, tc.raw)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ResolveTTYURL(%s, %s) = %s, want an error", tc.base, tc.raw, got)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("ResolveTTYURL(%s, %s) = %q, %v; want %q", tc.base, tc.raw, got, err, tc.want)
		}
	}
}

func TestTTYURL(t *testing.T) {
	c := newClient(t, "https://corp.example.com/lap/")
	got, err := c.TTYURL(&spec.Session{ID: "ses_1", TTYURL: "/session/ses_1/tty"})
	if err != nil || got != "wss://corp.example.com/lap/session/ses_1/tty" {
		t.Fatalf("TTYURL = %q, %v", got, err)
	}
	_, err = c.TTYURL(&spec.Session{ID: "ses_2", Harness: "opencode"})
	if err == nil || !strings.Contains(err.Error(), "not a TUI harness") || !strings.Contains(err.Error(), "opencode") {
		t.Fatalf("TTYURL(api session) = %v", err)
	}
	_, err = c.TTYURL(&spec.Session{ID: "ses_3", TTYURL: "gopher://x/tty"})
	if err == nil || !strings.Contains(err.Error(), `scheme "gopher"`) {
		t.Fatalf("TTYURL(bad scheme) = %v", err)
	}
}

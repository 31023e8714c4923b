package client_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/spec"
)

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, base := range []string{"", "localhost:4000", "ftp://127.0.0.1", "http://", "://x", "127.0.0.1"} {
		if c, err := client.New(client.Options{BaseURL: base}); err == nil {
			t.Errorf("New(%q) = %v, want an error", base, c.BaseURL())
		}
	}
	c, err := client.New(client.Options{BaseURL: "http://127.0.0.1:4000/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://127.0.0.1:4000" {
		t.Errorf("BaseURL() = %q", c.BaseURL())
	}
}

func TestHealth(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/health", resp: `{"status":"ok"}`})
	if err := m.client().Health(context.Background()); err != nil {
		t.Fatal(err)
	}

	down := newMock(t)
	down.on(&route{method: "GET", path: "/health", status: 500, resp: `{"error":{"type":"server_error","message":"db locked"}}`})
	err := down.client().Health(context.Background())
	if client.StatusOf(err) != 500 || !strings.Contains(err.Error(), "db locked") {
		t.Fatalf("Health() = %v, want a 500 naming the cause", err)
	}
}

func TestNoKeyNoAuthorizationHeader(t *testing.T) {
	m := newMock(t)
	m.key = ""
	m.on(&route{method: "GET", path: "/health", resp: `{"status":"ok"}`})
	if err := m.client(func(o *client.Options) { o.APIKey = "" }).Health(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestUserAgentOverride(t *testing.T) {
	m := newMock(t)
	m.userAgent = "lapctl/9.9.9 (test)"
	m.on(&route{method: "GET", path: "/health", resp: `{"status":"ok"}`})
	if err := m.client(func(o *client.Options) { o.UserAgent = "lapctl/9.9.9 (test)" }).Health(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/lap/health", resp: `{"status":"ok"}`},
		&route{method: "GET", path: "/lap/api/agents/agent_1", resp: `{"id":"agent_1"}`},
	)
	c := newClient(t, m.URL()+"/lap/")
	if err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a, err := c.GetAgent(context.Background(), "agent_1"); err != nil || a.ID != "agent_1" {
		t.Fatalf("GetAgent = %+v, %v", a, err)
	}
}

func TestModels(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/v1/models", resp: `{"object":"list","data":[
		{"id":"claude-sonnet-4-6","object":"model","created":0,"owned_by":"anthropic"},
		{"id":"gpt-4o","object":"model","created":1700000000,"owned_by":"openai"}]}`})
	got, err := m.client().Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []spec.Model{
		{ID: "claude-sonnet-4-6", Object: "model", Created: 0, OwnedBy: "anthropic"},
		{ID: "gpt-4o", Object: "model", Created: 1700000000, OwnedBy: "openai"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Models() = %+v", got)
	}

	empty := newMock(t)
	empty.on(&route{method: "GET", path: "/v1/models", resp: `{"object":"list","data":[]}`})
	if got, err := empty.client().Models(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("empty Models() = %v, %v", got, err)
	}
}

func TestRuntimes(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/api/agent-runtimes", resp: `{"runtimes":[
		{"id":"local","name":"This machine","connected":true},{"id":"k8s","name":"Cluster","connected":false}]}`})
	got, err := m.client().Runtimes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []spec.Runtime{{ID: "local", Name: "This machine", Connected: true}, {ID: "k8s", Name: "Cluster"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Runtimes() = %+v", got)
	}
}

func TestRuntimeHarnesses(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/api/runtime-harnesses", resp: `{"harnesses":[
		{"alias":"my-harness","display_name":"My Harness","api_spec":"opencode","is_default":true,"connected":true}]}`})
	got, err := m.client().RuntimeHarnesses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []spec.RuntimeHarness{{Alias: "my-harness", DisplayName: "My Harness", APISpec: "opencode", IsDefault: true, Connected: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RuntimeHarnesses() = %+v", got)
	}
}

func TestHarnesses(t *testing.T) {
	t.Run("from the server", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/harnesses", resp: `{"harnesses":[
			{"id":"claude-code","name":"Claude Code","kind":"tui","description":"CLI","available":false}]}`})
		got, err := m.client().Harnesses(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := []spec.Harness{{ID: "claude-code", Name: "Claude Code", Kind: "tui", Description: "CLI", Available: false}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Harnesses() = %+v", got)
		}
	})
	t.Run("404 falls back to the built-in four", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/harnesses", status: 404, resp: `{"detail":"Not Found"}`})
		got, err := m.client().Harnesses(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, spec.BuiltinHarnesses()) {
			t.Errorf("Harnesses() = %+v, want the built-ins", got)
		}
	})
	t.Run("empty list falls back too", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/harnesses", resp: `{"harnesses":[]}`})
		got, err := m.client().Harnesses(context.Background())
		if err != nil || len(got) != 4 {
			t.Fatalf("Harnesses() = %v, %v", got, err)
		}
	})
	t.Run("other errors are errors", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/harnesses", status: 401, resp: `{"error":{"type":"unauthorized","message":"bad key"}}`})
		got, err := m.client().Harnesses(context.Background())
		if !client.IsUnauthorized(err) || got != nil {
			t.Fatalf("Harnesses() = %v, %v; want the 401", got, err)
		}
	})
}

func TestHarnessChoices(t *testing.T) {
	t.Run("built-ins and registered aliases", func(t *testing.T) {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/harnesses", resp: `{"harnesses":[
				{"id":"opencode","name":"opencode","kind":"api","description":"server","available":true},
				{"id":"codex","name":"Codex","kind":"tui","description":"pty","available":false}]}`},
			&route{method: "GET", path: "/api/runtime-harnesses", resp: `{"harnesses":[
				{"alias":"opencode","display_name":"dup","api_spec":"x","connected":true},
				{"alias":"team-bot","display_name":"Team Bot","api_spec":"opencode","connected":false},
				{"alias":"plain","display_name":"Plain","connected":true}]}`},
		)
		got, err := m.client().HarnessChoices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := []client.HarnessChoice{
			{ID: "opencode", Name: "opencode", Kind: "api", Description: "server", Available: true},
			{ID: "codex", Name: "Codex", Kind: "tui", Description: "pty", Available: false},
			{ID: "team-bot", Name: "Team Bot", Kind: "api", Description: "registered harness (opencode)", Available: false, Registered: true},
			{ID: "plain", Name: "Plain", Kind: "api", Description: "registered harness", Available: true, Registered: true},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("HarnessChoices() =\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("server without either endpoint", func(t *testing.T) {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/harnesses", status: 404, resp: `{"detail":"Not Found"}`},
			&route{method: "GET", path: "/api/runtime-harnesses", status: 404, rawResp: true, resp: "404 page not found"},
		)
		got, err := m.client().HarnessChoices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range got {
			ids = append(ids, h.ID)
			if h.Registered || h.Kind != spec.HarnessKind(h.ID) {
				t.Errorf("choice %+v", h)
			}
		}
		if strings.Join(ids, ",") != "opencode,claude-agent-sdk,claude-code,codex" {
			t.Errorf("ids = %v", ids)
		}
	})
	t.Run("alias endpoint failing is an error", func(t *testing.T) {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/harnesses", status: 404, resp: `{}`},
			&route{method: "GET", path: "/api/runtime-harnesses", status: http.StatusInternalServerError, resp: `{"error":"boom"}`},
		)
		if _, err := m.client().HarnessChoices(context.Background()); client.StatusOf(err) != 500 {
			t.Fatalf("err = %v, want the 500", err)
		}
	})
}

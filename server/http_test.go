package server_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestHealthNeedsNoKey(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	status, body := c.raw("GET", "/health", nil, http.Header{})
	if status != http.StatusOK || strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Fatalf("health: %d %s", status, body)
	}
}

func TestAuth(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	if inst.Key != server.LocalMasterKey {
		t.Fatalf("loopback server key = %q, want the local default", inst.Key)
	}
	for name, h := range map[string]http.Header{
		"no key":          {},
		"wrong bearer":    {"Authorization": {"Bearer sk-wrong"}},
		"wrong x-api-key": {"X-Api-Key": {"sk-wrong"}},
		"basic scheme":    {"Authorization": {"Basic " + inst.Key}},
	} {
		status, body := c.raw("GET", "/api/agents", nil, h)
		if status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, status)
			continue
		}
		e := decodeError(t, body)
		if e.Type != spec.ErrUnauthorized || !strings.Contains(e.Message, "Authorization: Bearer <LITELLM_MASTER_KEY>") {
			t.Errorf("%s: error %+v", name, e)
		}
	}
	for name, h := range map[string]http.Header{
		"bearer":         {"Authorization": {"Bearer " + inst.Key}},
		"bearer (case)":  {"Authorization": {"bearer " + inst.Key}},
		"x-api-key":      {"X-Api-Key": {inst.Key}},
		"both, one good": {"Authorization": {"Bearer nope"}, "X-Api-Key": {inst.Key}},
	} {
		if status, body := c.raw("GET", "/api/agents", nil, h); status != http.StatusOK {
			t.Errorf("%s: status %d: %s", name, status, body)
		}
	}
}

func TestMasterKeyRules(t *testing.T) {
	if _, err := server.New(server.Options{Listen: "0.0.0.0:4000", DataDir: t.TempDir()}); err == nil ||
		!strings.Contains(err.Error(), "--master-key") {
		t.Fatalf("non-loopback without a key: err = %v, want a refusal naming --master-key", err)
	}
	s, err := server.New(server.Options{Listen: "0.0.0.0:4000", DataDir: t.TempDir(), MasterKey: "sk-explicit"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(t.Context())
	if s.MasterKey() != "sk-explicit" {
		t.Fatalf("key = %q", s.MasterKey())
	}
	inst := servertest.Start(t, servertest.WithOptions(func(o *server.Options) { o.MasterKey = "sk-custom" }))
	c := newClient(t, inst)
	if status, _ := c.raw("GET", "/api/agents", nil, http.Header{"Authorization": {"Bearer sk-local"}}); status != http.StatusUnauthorized {
		t.Fatalf("the default key must not work when another is set: %d", status)
	}
	c.call("GET", "/api/agents", nil, http.StatusOK, nil)
}

func TestRoutingErrors(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)

	e := c.fail("GET", "/api/nope", nil, http.StatusNotFound)
	if e.Type != spec.ErrNotFound {
		t.Errorf("unknown route: %+v", e)
	}
	status, body := c.raw("PUT", "/api/agents", nil, nil)
	if status != http.StatusMethodNotAllowed {
		t.Fatalf("PUT /api/agents: %d %s", status, body)
	}
	if e := decodeError(t, body); !strings.Contains(e.Message, "GET") || !strings.Contains(e.Message, "POST") {
		t.Errorf("405 should name the allowed methods: %+v", e)
	}
	c.fail("POST", "/api/agents/agent_x", nil, http.StatusMethodNotAllowed)
	c.fail("DELETE", "/v1/models", nil, http.StatusMethodNotAllowed)

	// Unknown routes still need the key.
	if status, _ := c.raw("GET", "/api/nope", nil, http.Header{}); status != http.StatusUnauthorized {
		t.Errorf("unknown route without a key: %d, want 401", status)
	}
}

func TestRequestBodies(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)

	huge := make([]byte, spec.MaxBodyBytes+1)
	for i := range huge {
		huge[i] = ' '
	}
	e := c.fail("POST", "/api/agents", huge, http.StatusRequestEntityTooLarge)
	if !strings.Contains(e.Message, "16 MiB") {
		t.Errorf("413 message: %q", e.Message)
	}
	for name, body := range map[string]string{
		"not json":    "{nope",
		"empty":       "",
		"array":       "[]",
		"two values":  `{"name":"a"} {"name":"b"}`,
		"wrong type":  `{"name": 5, "owner_id": "o"}`,
		"truncated":   `{"name": "a"`,
		"env not map": `{"name":"a","owner_id":"o","env_vars":[1]}`,
	} {
		status, b := c.raw("POST", "/api/agents", body, nil)
		if status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %s", name, status, b)
			continue
		}
		if e := decodeError(t, b); e.Type != spec.ErrInvalidRequest {
			t.Errorf("%s: %+v", name, e)
		}
	}
	_, b := c.raw("POST", "/api/agents", `{"name": 5, "owner_id": "o"}`, nil)
	if e := decodeError(t, b); e.Field != "name" {
		t.Errorf("type error should name the field: %+v", e)
	}
}

func TestRequestIDHeader(t *testing.T) {
	inst := servertest.Start(t)
	resp, err := http.Get(inst.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if id := resp.Header.Get("X-Request-Id"); len(id) < 8 {
		t.Fatalf("X-Request-Id = %q", id)
	}
}

func TestSystemEndpoints(t *testing.T) {
	inst := servertest.Start(t, servertest.WithHarnessCmd("opencode", "cat"), servertest.WithHarnessCmd("my-harness", "cat"))
	c := newClient(t, inst)

	var models spec.ModelList
	c.call("GET", "/v1/models", nil, http.StatusOK, &models)
	if models.Object != "list" || len(models.Data) != len(server.DefaultModels) || models.Data[0].OwnedBy != "anthropic" || models.Data[0].Object != "model" {
		t.Errorf("models: %+v", models)
	}

	var runtimes struct{ Runtimes []spec.Runtime }
	c.call("GET", "/api/agent-runtimes", nil, http.StatusOK, &runtimes)
	if len(runtimes.Runtimes) != 1 || runtimes.Runtimes[0].ID != "local" || !runtimes.Runtimes[0].Connected {
		t.Errorf("runtimes: %+v", runtimes)
	}

	var harnesses struct{ Harnesses []spec.Harness }
	c.call("GET", "/api/harnesses", nil, http.StatusOK, &harnesses)
	avail := map[string]bool{}
	for _, h := range harnesses.Harnesses {
		avail[h.ID] = h.Available
	}
	want := map[string]bool{"opencode": true, "claude-agent-sdk": false, "claude-code": true, "codex": true}
	if len(avail) != 4 {
		t.Errorf("harnesses: %+v", harnesses)
	}
	for id, w := range want {
		if avail[id] != w {
			t.Errorf("harness %s available = %v, want %v", id, avail[id], w)
		}
	}

	var aliases struct{ Harnesses []spec.RuntimeHarness }
	c.call("GET", "/api/runtime-harnesses", nil, http.StatusOK, &aliases)
	if len(aliases.Harnesses) != 1 || aliases.Harnesses[0].Alias != "my-harness" || !aliases.Harnesses[0].Connected {
		t.Errorf("runtime harnesses: %+v", aliases)
	}

	custom := servertest.Start(t, servertest.WithOptions(func(o *server.Options) { o.Models = []string{"gpt-4o"} }))
	var cm spec.ModelList
	newClient(t, custom).call("GET", "/v1/models", nil, http.StatusOK, &cm)
	if len(cm.Data) != 1 || cm.Data[0].ID != "gpt-4o" || cm.Data[0].OwnedBy == "" {
		t.Errorf("custom models: %+v", cm)
	}
}

func TestDemoSeed(t *testing.T) {
	inst := servertest.Start(t, servertest.WithOptions(func(o *server.Options) { o.Demo = true }))
	c := newClient(t, inst)
	var list spec.AgentList
	c.call("GET", "/api/agents?owner_id=local-user", nil, http.StatusOK, &list)
	harnesses := map[string]bool{}
	withEnv := false
	for _, a := range list.Agents {
		harnesses[a.Harness] = true
		if a.Status != spec.StatusActive {
			t.Errorf("demo agent %s is %s, want active", a.Name, a.Status)
		}
		withEnv = withEnv || len(a.EnvVars) > 0
	}
	if list.Total < 4 || len(harnesses) != 4 || !withEnv {
		t.Fatalf("demo agents: total %d, harnesses %v, with env %v", list.Total, harnesses, withEnv)
	}
	var skills struct{ Skills []spec.Skill }
	c.call("GET", "/api/skills", nil, http.StatusOK, &skills)
	if len(skills.Skills) < 2 {
		t.Fatalf("demo skills: %d", len(skills.Skills))
	}

	// A restart on the same data seeds nothing more.
	inst.Close()
	again := servertest.Start(t, servertest.WithDataDir(inst.DataDir), servertest.WithOptions(func(o *server.Options) { o.Demo = true }))
	var list2 spec.AgentList
	newClient(t, again).call("GET", "/api/agents", nil, http.StatusOK, &list2)
	if list2.Total != list.Total {
		t.Fatalf("demo seeded twice: %d then %d agents", list.Total, list2.Total)
	}
}

// jsonField reads one top-level field of a JSON object, for asserting on
// what a typed decode would hide.
func jsonField(t *testing.T, body []byte, field string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return m[field]
}

// A connection that never sends a request must not hold Shutdown up:
// net/http alone would wait 5 s for it.
func TestShutdownDoesNotWaitForSilentConnections(t *testing.T) {
	inst := servertest.Start(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(inst.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The server sees the connection (StateNew) before Shutdown starts.
	newClient(t, inst).raw("GET", "/health", nil, nil)
	start := time.Now()
	inst.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Shutdown took %v with a silent connection open", d)
	}
}

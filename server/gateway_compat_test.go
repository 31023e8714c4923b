package server_test

// Where the embedded server and the gateway overlap, they answer alike.
// Each test names the gateway behaviour it holds the server to (the
// gateway's flow tests and handlers, see PLATFORM.md).

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// rawAgent fetches an agent as the server encodes it, to see which keys
// are present and which are null.
func (c *apiClient) rawAgent(id string) map[string]json.RawMessage {
	c.t.Helper()
	status, b := c.raw("GET", "/api/agents/"+id, nil, nil)
	if status != http.StatusOK {
		c.t.Fatalf("GET agent %s: %d %s", id, status, b)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		c.t.Fatalf("agent body %s: %v", b, err)
	}
	return m
}

func TestCompatSystemFallsBackToPrompt(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t))

	a := c.createAgent(spec.AgentSpec{Name: "p", Prompt: "watch deploys"})
	if a.System != "watch deploys" || a.Prompt != "watch deploys" {
		t.Errorf("create without system: system %q prompt %q, want both %q", a.System, a.Prompt, "watch deploys")
	}
	var got spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.System != "watch deploys" {
		t.Errorf("stored system %q, want the prompt", got.System)
	}

	// A system sent empty is kept empty: only an omitted one falls back.
	var empty spec.Agent
	c.call("POST", "/api/agents", map[string]any{"name": "e", "owner_id": "o", "prompt": "p", "system": ""}, http.StatusCreated, &empty)
	if empty.System != "" {
		t.Errorf("system sent empty became %q", empty.System)
	}
	own := c.createAgent(spec.AgentSpec{Name: "s", System: "be terse", Prompt: "p"})
	if own.System != "be terse" {
		t.Errorf("system given: %q", own.System)
	}

	// A fallback system follows a new prompt; a system of its own stays.
	c.call("PATCH", "/api/agents/"+a.ID, map[string]any{"prompt": "watch builds"}, http.StatusOK, &got)
	if got.System != "watch builds" || got.Prompt != "watch builds" {
		t.Errorf("prompt edit of a fallback system: system %q prompt %q", got.System, got.Prompt)
	}
	c.call("PATCH", "/api/agents/"+own.ID, map[string]any{"prompt": "q"}, http.StatusOK, &got)
	if got.System != "be terse" || got.Prompt != "q" {
		t.Errorf("prompt edit of an own system: system %q prompt %q", got.System, got.Prompt)
	}
}

func TestCompatToolsCopiedIntoConfig(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t))

	var a spec.Agent
	c.call("POST", "/api/agents", map[string]any{
		"name": "t", "owner_id": "o",
		"tools":  []any{map[string]any{"type": "bash"}},
		"config": map[string]any{"tools": "config's own", "depth": 2.0},
	}, http.StatusCreated, &a)
	checkTools := func(when string, cfg map[string]any, want string) {
		t.Helper()
		b, _ := json.Marshal(cfg["tools"])
		if string(b) != want || cfg["depth"] != 2.0 {
			t.Errorf("%s: config %v, want config.tools %s (top-level wins) and depth kept", when, cfg, want)
		}
	}
	checkTools("create response", a.Config, `[{"type":"bash"}]`)
	var got spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	checkTools("stored", got.Config, `[{"type":"bash"}]`)
	if string(got.Tools) != `[{"type":"bash"}]` {
		t.Errorf("top-level tools %s", got.Tools)
	}

	// A config edit keeps the copy; a tools edit moves it along.
	c.call("PATCH", "/api/agents/"+a.ID, map[string]any{"config": map[string]any{"depth": 2.0}}, http.StatusOK, &got)
	checkTools("after a config edit", got.Config, `[{"type":"bash"}]`)
	c.call("PATCH", "/api/agents/"+a.ID, map[string]any{"tools": map[string]any{"web": true}}, http.StatusOK, &got)
	checkTools("after a tools edit", got.Config, `{"web":true}`)

	// Absent tools are null, not missing, and config is left alone.
	plain := c.createAgent(spec.AgentSpec{Name: "plain"})
	m := c.rawAgent(plain.ID)
	if tools, ok := m["tools"]; !ok || string(tools) != "null" {
		t.Errorf("tools of an agent without tools: %s (present %v), want null", tools, ok)
	}
	if cfg, ok := m["config"]; ok {
		t.Errorf("config of an agent without config or tools: %s", cfg)
	}
	var list struct {
		Agents []map[string]json.RawMessage `json:"agents"`
	}
	c.call("GET", "/api/agents?search=plain", nil, http.StatusOK, &list)
	if len(list.Agents) != 1 || string(list.Agents[0]["tools"]) != "null" {
		t.Errorf("listed agent without tools: %v", list.Agents)
	}
}

func TestCompatPatchStatus(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t))
	a := c.createAgent(spec.AgentSpec{Name: "st"})

	var got spec.Agent
	c.call("PATCH", "/api/agents/"+a.ID, map[string]any{"status": "active"}, http.StatusOK, &got)
	if got.Status != spec.StatusActive {
		t.Errorf("PATCH status active answered %q", got.Status)
	}
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.Status != spec.StatusActive {
		t.Errorf("stored status %q after PATCH active", got.Status)
	}
	c.call("PATCH", "/api/agents/"+a.ID, map[string]any{"status": "paused", "description": "d"}, http.StatusOK, &got)
	if got.Status != spec.StatusPaused || got.Description != "d" {
		t.Errorf("PATCH status paused with another field: %+v", got)
	}

	e := c.fail("PATCH", "/api/agents/"+a.ID, map[string]any{"status": "sleeping"}, http.StatusBadRequest)
	if e.Field != "status" || !strings.Contains(e.Message, `"paused" or "active"`) {
		t.Errorf("bad status: %+v", e)
	}
	e = c.fail("PATCH", "/api/agents/"+a.ID, map[string]any{"status": 1}, http.StatusBadRequest)
	if e.Field != "status" {
		t.Errorf("status of the wrong type: %+v", e)
	}
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.Status != spec.StatusPaused {
		t.Errorf("a refused PATCH changed the status to %q", got.Status)
	}
}

func TestCompatSessionOfPausedAgent(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t, apiHarnesses...))
	a := c.createAgent(spec.AgentSpec{Name: "sleepy", Harness: "opencode"})
	if a.Status != spec.StatusPaused {
		t.Fatalf("new agent is %q", a.Status)
	}
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	if s.AgentID != a.ID || s.Agent != a.ID || s.Title != "sleepy" {
		t.Errorf("session of a paused agent: %+v (agent is the agent's id, title its name)", s)
	}
	c.waitStatus(s.ID, spec.SessionIdle)
	var got spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.Status != spec.StatusPaused {
		t.Errorf("starting a session changed the agent's status to %q", got.Status)
	}
	var listed []spec.Session
	c.call("GET", "/session?agent_id="+a.ID, nil, http.StatusOK, &listed)
	if len(listed) != 1 || listed[0].Agent != a.ID {
		t.Errorf("listed sessions: %+v", listed)
	}
}

func TestCompatSessionGatewayBody(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t, apiHarnesses...))
	a := c.createAgent(spec.AgentSpec{Name: "gw", Harness: "opencode"})

	var s spec.Session
	c.call("POST", "/session", map[string]any{"agent": a.ID, "title": "from the gateway's body", "timezone": "UTC"}, http.StatusOK, &s)
	if s.AgentID != a.ID || s.Agent != a.ID || s.Harness != "opencode" || s.Title != "from the gateway's body" {
		t.Errorf("agent = id: %+v", s)
	}
	c.call("POST", "/session", map[string]any{"harness": a.ID}, http.StatusOK, &s)
	if s.AgentID != a.ID {
		t.Errorf("harness = agent id (read when agent is absent): %+v", s)
	}
	c.call("POST", "/session", map[string]any{"agent": a.ID, "agent_id": a.ID}, http.StatusOK, &s)
	if s.AgentID != a.ID {
		t.Errorf("agent and agent_id alike: %+v", s)
	}
	c.call("POST", "/session", map[string]any{"agent_id": a.ID, "harness": "opencode"}, http.StatusOK, &s)
	if s.AgentID != a.ID || s.Harness != "opencode" {
		t.Errorf("agent_id with its own harness: %+v", s)
	}

	other := c.createAgent(spec.AgentSpec{Name: "other", Harness: "opencode"})
	for _, tc := range []struct {
		body   map[string]any
		status int
		field  string
		says   string
	}{
		{map[string]any{"agent": "agent_nope"}, http.StatusNotFound, "agent", "agent_nope"},
		{map[string]any{"agent": a.ID, "agent_id": other.ID}, http.StatusBadRequest, "agent", "different agents"},
		{map[string]any{"agent": "no-such-harness"}, http.StatusBadRequest, "agent", `harness "no-such-harness" is not known`},
		{map[string]any{"harness": "no-such-harness"}, http.StatusBadRequest, "harness", `harness "no-such-harness" is not known`},
		{map[string]any{"agent": "opencode", "env_vars": map[string]string{"PORT": "1"}}, http.StatusBadRequest, "env_vars.PORT", "PORT"},
		{map[string]any{"agent_id": a.ID, "harness": "codex"}, http.StatusBadRequest, "harness", "runs the harness opencode, not codex"},
		{map[string]any{"agent": 7}, http.StatusBadRequest, "agent", "string"},
		{map[string]any{"harness": "agent_nope"}, http.StatusNotFound, "harness", "agent_nope"},
		{map[string]any{"agent_id": "agent_nope"}, http.StatusNotFound, "agent_id", "agent_nope"},
		{map[string]any{"agent_id": a.ID, "agent": "codex"}, http.StatusBadRequest, "agent", "leave agent out"},
	} {
		e := c.fail("POST", "/session", tc.body, tc.status)
		if e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
			t.Errorf("%v: %+v, want field %s and a message with %q", tc.body, e, tc.field, tc.says)
		}
	}
}

func TestCompatJSONContentType(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t)
	c := newClient(t, inst)
	a := c.createAgent(spec.AgentSpec{Name: "ct"})
	body := `{"name":"x","owner_id":"o"}`
	send := func(method, path, ctype, key, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, inst.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	for _, tc := range []struct{ method, path, ctype, body string }{
		{"POST", "/api/agents", "", body},
		{"POST", "/api/agents", "text/plain", body},
		{"POST", "/api/agents", "application/x-www-form-urlencoded", "name=x"},
		{"POST", "/api/agents", "application/jsonx", body},
		{"POST", "/api/agents", "", ""},
		{"PATCH", "/api/agents/" + a.ID, "text/plain", `{"name":"y"}`},
		{"POST", "/api/skills", "", `{"name":"s","content":"c"}`},
		{"POST", "/session", "", `{"agent_id":"` + a.ID + `"}`},
	} {
		status, b := send(tc.method, tc.path, tc.ctype, inst.Key, tc.body)
		if status != http.StatusUnsupportedMediaType {
			t.Errorf("%s %s with Content-Type %q: %d %s, want 415", tc.method, tc.path, tc.ctype, status, b)
			continue
		}
		if e := decodeError(t, b); !strings.Contains(e.Message, "Content-Type: application/json") {
			t.Errorf("415 message: %q", e.Message)
		}
	}
	var got spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.Name != "ct" {
		t.Errorf("a refused PATCH renamed the agent to %q", got.Name)
	}

	// JSON with parameters, and the +json family, are JSON.
	for _, ctype := range []string{"application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"} {
		if status, b := send("PATCH", "/api/agents/"+a.ID, ctype, inst.Key, `{"description":"d"}`); status != http.StatusOK {
			t.Errorf("Content-Type %q: %d %s", ctype, status, b)
		}
	}
	// The key is checked first: no key, no word about the body.
	if status, b := send("POST", "/api/agents", "text/plain", "wrong", body); status != http.StatusUnauthorized {
		t.Errorf("wrong key and no JSON: %d %s, want 401", status, b)
	}
}

func TestCompatDeleteUnknownSession(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t, apiHarnesses...))
	var ok bool
	c.call("DELETE", "/session/ses_nope", nil, http.StatusOK, &ok)
	if ok {
		t.Error("DELETE of an unknown session answered true, want false")
	}
	a := c.createAgent(spec.AgentSpec{Name: "d", Harness: "opencode"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, &ok)
	if !ok {
		t.Error("DELETE of a live session answered false")
	}
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, &ok)
	if ok {
		t.Error("second DELETE of a session answered true, want false")
	}
	c.fail("GET", "/session/"+s.ID, nil, http.StatusNotFound)
}

// A harness name as agent is a session of that harness with no agent, as
// on the gateway: agent is the harness, agent_id null.
func TestCompatSessionOfHarnessWithoutAgent(t *testing.T) {
	t.Parallel()
	c := newClient(t, servertest.Start(t, apiHarnesses...))

	status, b := c.raw("POST", "/session", map[string]any{"agent": "opencode"}, nil)
	if status != http.StatusOK {
		t.Fatalf("POST /session agent=opencode: %d %s", status, b)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if string(m["agent_id"]) != "null" || string(m["agent"]) != `"opencode"` || string(m["title"]) != `"New session"` {
		t.Errorf("unbound session: agent_id %s agent %s title %s, want null, \"opencode\", \"New session\"", m["agent_id"], m["agent"], m["title"])
	}
	var s spec.Session
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	c.waitStatus(s.ID, spec.SessionIdle)
	if got := c.message(s.ID, "hello there"); got != "hello there" {
		t.Errorf("reply of the unbound opencode (cat) session: %q", got)
	}
	var titled spec.Session
	c.call("POST", "/session", map[string]any{"harness": "opencode", "title": "mine"}, http.StatusOK, &titled)
	if titled.Title != "mine" || titled.Agent != "opencode" || titled.AgentID != "" {
		t.Errorf("harness with a title: %+v", titled)
	}

	var listed []map[string]json.RawMessage
	c.call("GET", "/session", nil, http.StatusOK, &listed)
	if len(listed) != 2 || string(listed[1]["agent_id"]) != "null" || string(listed[1]["agent"]) != `"opencode"` {
		t.Errorf("listed unbound sessions: %v", listed)
	}
	var ok bool
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, &ok)
	if !ok {
		t.Error("DELETE of an unbound session answered false")
	}
}

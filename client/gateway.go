package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"lapctl/spec"
)

// gatewayDialect speaks the current hosted server (Rust/axum; PLATFORM.md
// "gateway", read from src/http/agents.rs, src/http/sessions.rs and
// src/http/routes.rs): agents at /api/agents without paging, sessions
// bound by "agent", asynchronous replies, no terminals.
type gatewayDialect struct{ c *Client }

// GatewayPollInterval is how often SendMessage looks for the gateway's
// asynchronous reply.
var GatewayPollInterval = 250 * time.Millisecond

// normalizeTimes rewrites ISO or second timestamps to Unix milliseconds
// so the object decodes into spec types; raw keeps what the server sent.
func normalizeTimes(raw json.RawMessage, keys ...string) (json.RawMessage, map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, fmt.Errorf("unexpected object from the server: %w", err)
	}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			m[k] = flexTime(v)
		}
	}
	if t, ok := m["time"].(map[string]any); ok {
		for k, v := range t {
			t[k] = flexTime(v)
		}
	}
	out, err := json.Marshal(m)
	return out, m, err
}

func decodeGatewayAgent(raw json.RawMessage) (spec.Agent, error) {
	norm, _, err := normalizeTimes(raw, "created_at", "updated_at")
	if err != nil {
		return spec.Agent{}, err
	}
	var a spec.Agent
	if err := json.Unmarshal(norm, &a); err != nil {
		return a, fmt.Errorf("unexpected agent object: %w", err)
	}
	a.SupportsTUI = false // no gateway session has a terminal
	if a.Runtime == "" && a.Config != nil {
		if rt, ok := a.Config["runtime"].(string); ok {
			a.Runtime = rt
		}
	}
	a.Raw = raw
	return a, nil
}

func decodeGatewaySession(raw json.RawMessage) (spec.Session, error) {
	norm, _, err := normalizeTimes(raw)
	if err != nil {
		return spec.Session{}, err
	}
	var s spec.Session
	if err := json.Unmarshal(norm, &s); err != nil {
		return s, fmt.Errorf("unexpected session object: %w", err)
	}
	if s.AgentID == "" && strings.HasPrefix(s.Agent, "agent_") {
		s.AgentID = s.Agent
	}
	if s.Harness == "" && s.Agent != "" && !strings.HasPrefix(s.Agent, "agent_") {
		s.Harness = s.Agent
	}
	// The gateway has no terminals at all.
	s.SupportsTUI = boolPtr(false)
	s.TTYURL, s.TTYToken = "", ""
	s.Raw = raw
	return s, nil
}

func (d *gatewayDialect) listAgents(ctx context.Context, p ListAgentsParams) (*AgentPage, error) {
	var q url.Values
	if p.OwnerID != "" {
		q = url.Values{"owner_id": {p.OwnerID}}
	}
	var raw struct {
		Agents []json.RawMessage `json:"agents"`
		Total  *int              `json:"total"`
	}
	if err := d.c.do(ctx, call{method: http.MethodGet, path: "/api/agents", query: q, result: &raw}); err != nil {
		return nil, err
	}
	if raw.Total != nil {
		return nil, &mismatchError{http.MethodGet, "/api/agents", "a paged agent list (the embedded server's)"}
	}
	agents, err := decodeEach(raw.Agents, decodeGatewayAgent)
	if err != nil {
		return nil, err
	}
	return pageLocally(agents, p), nil
}

func (d *gatewayDialect) agentCall(ctx context.Context, k call) (*spec.Agent, error) {
	var raw json.RawMessage
	k.result = &raw
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	a, err := decodeGatewayAgent(raw)
	return &a, d.c.unexpected(k, err)
}

func (d *gatewayDialect) getAgent(ctx context.Context, id string) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodGet, path: "/api/agents/" + escape(id)})
}

func (d *gatewayDialect) createAgent(ctx context.Context, s *spec.AgentSpec) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodPost, path: "/api/agents", body: s})
}

func (d *gatewayDialect) updateAgent(ctx context.Context, id string, p *spec.AgentPatch) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodPatch, path: "/api/agents/" + escape(id), body: p})
}

func (d *gatewayDialect) deleteAgent(ctx context.Context, id string) error {
	return d.c.do(ctx, call{method: http.MethodDelete, path: "/api/agents/" + escape(id)})
}

func (d *gatewayDialect) agentAction(ctx context.Context, id, action string) (*spec.AgentStatus, error) {
	var out spec.AgentStatus
	if err := d.c.do(ctx, call{method: http.MethodPost, path: "/api/agents/" + escape(id) + "/" + action, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// gatewaySessionBody is what POST /session reads without a runtime.
type gatewaySessionBody struct {
	Agent string `json:"agent"`
	Title string `json:"title,omitempty"`
}

// createSession binds the session with agent: <id> (agent_id alone gives
// an unbound session), then sends the prompt as the first message, since
// the gateway reads prompt only for runtime agents.
func (d *gatewayDialect) createSession(ctx context.Context, s *spec.SessionSpec, _ *spec.Agent) (*spec.Session, error) {
	var raw json.RawMessage
	k := call{method: http.MethodPost, path: "/session", body: gatewaySessionBody{Agent: s.AgentID, Title: s.Title}, result: &raw}
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	sess, err := decodeGatewaySession(raw)
	if err != nil {
		return nil, d.c.unexpected(k, err)
	}
	if strings.TrimSpace(s.Prompt) != "" {
		model := ""
		if s.Environment != nil {
			model = s.Environment.Model
		}
		if _, err := d.post(ctx, sess.ID, s.Prompt, model, s.AgentID); err != nil {
			return &sess, fmt.Errorf("session %s started, but its first message was not sent: %w", sess.ID, err)
		}
	}
	return &sess, nil
}

func (d *gatewayDialect) listSessions(ctx context.Context, agentID string) ([]spec.Session, error) {
	var raws []json.RawMessage
	// GET /session ignores ?agent_id: filter here.
	if err := d.c.do(ctx, call{method: http.MethodGet, path: "/session", result: &raws}); err != nil {
		return nil, err
	}
	out, err := decodeEach(raws, decodeGatewaySession)
	if err != nil {
		return nil, err
	}
	return filterSessions(out, agentID), nil
}

func (d *gatewayDialect) getSession(ctx context.Context, id string) (*spec.Session, error) {
	var raw json.RawMessage
	k := call{method: http.MethodGet, path: "/session/" + escape(id), result: &raw}
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	s, err := decodeGatewaySession(raw)
	return &s, d.c.unexpected(k, err)
}

// deleteSession: the gateway answers true, or false for an unknown
// session; stopping is idempotent either way.
func (d *gatewayDialect) deleteSession(ctx context.Context, id string) error {
	return d.c.do(ctx, call{method: http.MethodDelete, path: "/session/" + escape(id)})
}

// harnesses: there is no /api/harnesses (the web UI answers), and
// /api/runtime-harnesses lists runtimes, not harnesses. Agents are
// claude-code, driven by messages.
func (d *gatewayDialect) harnesses(context.Context) ([]spec.Harness, error) {
	return []spec.Harness{{ID: "claude-code", Name: "Claude Code", Kind: spec.KindAPI,
		Description: "message-driven on the gateway (no terminal); every agent runs it", Available: true}}, nil
}

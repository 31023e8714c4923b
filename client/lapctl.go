package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"lapctl/spec"
)

// lapctlDialect speaks ../shared/API.md, the embedded server's contract.
type lapctlDialect struct{ c *Client }

func (d *lapctlDialect) listAgents(ctx context.Context, p ListAgentsParams) (*AgentPage, error) {
	var raw struct {
		Agents []json.RawMessage `json:"agents"`
		Total  *int              `json:"total"`
		Limit  int               `json:"limit"`
		Offset int               `json:"offset"`
	}
	if err := d.c.do(ctx, call{method: http.MethodGet, path: "/api/agents", query: p.values(), result: &raw}); err != nil {
		return nil, err
	}
	agents, err := decodeEach(raw.Agents, decodeAgent)
	if err != nil {
		return nil, err
	}
	if raw.Total == nil {
		if !d.c.forced() {
			// No paging: the gateway's list, not the embedded server's.
			return nil, &mismatchError{http.MethodGet, "/api/agents", "an agent list without paging (the gateway's)"}
		}
		// Forced to this dialect on a server that ignores paging: page here.
		return pageLocally(agents, p), nil
	}
	return &AgentPage{AgentList: spec.AgentList{Agents: agents, Total: *raw.Total, Limit: raw.Limit, Offset: raw.Offset}, ServerPaged: true}, nil
}

func (d *lapctlDialect) getAgent(ctx context.Context, id string) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodGet, path: "/api/agents/" + escape(id)})
}

func (d *lapctlDialect) createAgent(ctx context.Context, s *spec.AgentSpec) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodPost, path: "/api/agents", body: s})
}

func (d *lapctlDialect) updateAgent(ctx context.Context, id string, p *spec.AgentPatch) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodPatch, path: "/api/agents/" + escape(id), body: p})
}

func (d *lapctlDialect) agentCall(ctx context.Context, k call) (*spec.Agent, error) {
	var raw json.RawMessage
	k.result = &raw
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	a, err := decodeAgent(raw)
	return &a, d.c.unexpected(k, err)
}

// deleteAgent: any 2xx is success, whatever its body.
func (d *lapctlDialect) deleteAgent(ctx context.Context, id string) error {
	return d.c.do(ctx, call{method: http.MethodDelete, path: "/api/agents/" + escape(id)})
}

func (d *lapctlDialect) agentAction(ctx context.Context, id, action string) (*spec.AgentStatus, error) {
	var out spec.AgentStatus
	if err := d.c.do(ctx, call{method: http.MethodPost, path: "/api/agents/" + escape(id) + "/" + action, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

func (d *lapctlDialect) createSession(ctx context.Context, s *spec.SessionSpec, _ *spec.Agent) (*spec.Session, error) {
	return d.sessionCall(ctx, call{method: http.MethodPost, path: "/session", body: s})
}

func (d *lapctlDialect) getSession(ctx context.Context, id string) (*spec.Session, error) {
	return d.sessionCall(ctx, call{method: http.MethodGet, path: "/session/" + escape(id)})
}

func (d *lapctlDialect) sessionCall(ctx context.Context, k call) (*spec.Session, error) {
	var raw json.RawMessage
	k.result = &raw
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	s, err := decodeSession(raw)
	if err != nil {
		return nil, d.c.unexpected(k, err)
	}
	fillLapctlTTY(&s)
	return &s, nil
}

// fillLapctlTTY: the embedded server says kind, or gives a tty_url.
func fillLapctlTTY(s *spec.Session) {
	switch {
	case s.TTYURL != "" || s.Kind == spec.KindTUI:
		s.SupportsTUI = boolPtr(true)
	case s.Kind == spec.KindAPI:
		s.SupportsTUI = boolPtr(false)
	}
}

func (d *lapctlDialect) listSessions(ctx context.Context, agentID string) ([]spec.Session, error) {
	var q url.Values
	if agentID != "" {
		q = url.Values{"agent_id": {agentID}}
	}
	var raws []json.RawMessage
	if err := d.c.do(ctx, call{method: http.MethodGet, path: "/session", query: q, result: &raws}); err != nil {
		return nil, err
	}
	out, err := decodeEach(raws, decodeSession)
	if err != nil {
		return nil, err
	}
	for i := range out {
		fillLapctlTTY(&out[i])
	}
	// Filter again: a server that ignores agent_id lists every session.
	return filterSessions(out, agentID), nil
}

func (d *lapctlDialect) deleteSession(ctx context.Context, id string) error {
	// The body ({"ok":true} or true) is not decoded: a 2xx is the answer.
	return d.c.do(ctx, call{method: http.MethodDelete, path: "/session/" + escape(id)})
}

func (d *lapctlDialect) sendMessage(ctx context.Context, s *spec.Session, text, modelID string) ([]spec.Message, error) {
	body := spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: text}}}
	if modelID != "" {
		body.Model = &spec.MessageModel{ModelID: modelID}
	}
	var out []spec.Message
	err := d.c.do(ctx, call{method: http.MethodPost, path: "/session/" + escape(s.ID) + "/message", body: body, result: &out, timeout: d.c.messageTimeout})
	return out, err
}

func (d *lapctlDialect) messages(ctx context.Context, id string) ([]spec.Message, error) {
	var out []spec.Message
	err := d.c.do(ctx, call{method: http.MethodGet, path: "/session/" + escape(id) + "/message", result: &out})
	return out, err
}

// harnesses: a server without [ext] /api/harnesses (404, or a web page)
// gets the contract's built-in four.
func (d *lapctlDialect) harnesses(ctx context.Context) ([]spec.Harness, error) {
	var out struct {
		Harnesses []spec.Harness `json:"harnesses"`
	}
	err := d.c.do(ctx, call{method: http.MethodGet, path: "/api/harnesses", result: &out})
	if IsNotFound(err) || (err == nil && len(out.Harnesses) == 0) {
		return spec.BuiltinHarnesses(), nil
	}
	return out.Harnesses, err
}

// filterSessions keeps agentID's sessions ("" keeps all).
func filterSessions(in []spec.Session, agentID string) []spec.Session {
	if agentID == "" {
		return in
	}
	out := []spec.Session{}
	for _, s := range in {
		if s.AgentID == agentID || (s.AgentID == "" && s.Agent == agentID) {
			out = append(out, s)
		}
	}
	return out
}

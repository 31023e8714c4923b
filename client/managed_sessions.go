package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"lapctl/spec"
)

// managedSession is ApiSession (types.ts).
type managedSession struct {
	ID            string  `json:"id"`
	AgentID       string  `json:"agent_id"`
	Title         *string `json:"title"`
	TTYURL        *string `json:"tty_url"`
	TTYToken      *string `json:"tty_token"`
	SupportsTUI   bool    `json:"supports_tui"`
	Status        string  `json:"status"`
	CreatedAt     string  `json:"created_at"`
	LastSeenAt    *string `json:"last_seen_at"`
	FailureReason *string `json:"failure_reason"`
	Phase         *string `json:"phase"`
	PhaseDetail   *string `json:"phase_detail"`
}

// managed status → the contract's.
var managedStatus = map[string]string{
	"creating": spec.SessionStarting, "ready": spec.SessionRunning, "failed": spec.SessionError,
	"dead": spec.SessionExited, "stopped": spec.SessionExited, "deleted": spec.SessionExited,
}

func decodeManagedSession(raw json.RawMessage) (spec.Session, error) {
	var m managedSession
	if err := json.Unmarshal(raw, &m); err != nil {
		return spec.Session{}, fmt.Errorf("unexpected session object: %w", err)
	}
	s := spec.Session{
		ID: m.ID, AgentID: m.AgentID, Agent: m.AgentID, Title: deref(m.Title), Status: m.Status,
		TTYURL: deref(m.TTYURL), TTYToken: deref(m.TTYToken), FailureReason: deref(m.FailureReason),
		Phase: deref(m.Phase), PhaseDetail: deref(m.PhaseDetail), SupportsTUI: boolPtr(m.SupportsTUI), Raw: raw,
		Time: spec.SessionTime{Created: flexTime(m.CreatedAt), Updated: flexTime(deref(m.LastSeenAt))},
	}
	if st, ok := managedStatus[m.Status]; ok {
		s.Status = st
	}
	if m.SupportsTUI {
		s.Kind = spec.KindTUI
	} else {
		s.Kind = spec.KindAPI
	}
	return s, nil
}

type managedSessionBody struct {
	Title         string            `json:"title,omitempty"`
	InitialPrompt string            `json:"initial_prompt,omitempty"`
	EnvVars       map[string]string `json:"env_vars,omitempty"`
}

func (d *managedDialect) sessionCall(ctx context.Context, k call) (*spec.Session, error) {
	var raw json.RawMessage
	k.result = &raw
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	s, err := decodeManagedSession(raw)
	return &s, d.c.unexpected(k, err)
}

// createSession returns the row at once (status creating); the phases
// follow on GET.
func (d *managedDialect) createSession(ctx context.Context, s *spec.SessionSpec, _ *spec.Agent) (*spec.Session, error) {
	body := managedSessionBody{Title: s.Title, InitialPrompt: s.Prompt, EnvVars: s.EnvVars}
	return d.sessionCall(ctx, call{method: http.MethodPost, path: managedPrefix + "/agents/" + escape(s.AgentID) + "/session", body: body})
}

func (d *managedDialect) getSession(ctx context.Context, id string) (*spec.Session, error) {
	return d.sessionCall(ctx, call{method: http.MethodGet, path: managedPrefix + "/sessions/" + escape(id)})
}

func (d *managedDialect) listSessions(context.Context, string) ([]spec.Session, error) {
	return nil, &UnsupportedError{Platform: PlatformManaged, Capability: "session list", Hint: "give a session id (lapctl sessions get ses_…)"}
}

// deleteSession is idempotent on the managed server ({id,status:"deleted"}).
func (d *managedDialect) deleteSession(ctx context.Context, id string) error {
	return d.c.do(ctx, call{method: http.MethodDelete, path: managedPrefix + "/sessions/" + escape(id)})
}

// sendMessage: the reply (HarnessMessageResponse, {parts}) comes in the
// response; 404 until the session is ready.
func (d *managedDialect) sendMessage(ctx context.Context, s *spec.Session, text, _ string) ([]spec.Message, error) {
	var out struct {
		Parts []spec.Part `json:"parts"`
	}
	body := map[string]string{"text": text}
	if err := d.c.do(ctx, call{method: http.MethodPost, path: managedPrefix + "/sessions/" + escape(s.ID) + "/message", body: body, result: &out}); err != nil {
		return nil, err
	}
	return []spec.Message{{Info: spec.MessageInfo{Role: "assistant", SessionID: s.ID}, Parts: out.Parts}}, nil
}

func (d *managedDialect) messages(context.Context, string) ([]spec.Message, error) {
	return nil, &UnsupportedError{Platform: PlatformManaged, Capability: "message history", Hint: "replies are printed when sent"}
}

func (d *managedDialect) harnesses(context.Context) ([]spec.Harness, error) {
	return spec.BuiltinHarnesses(), nil
}

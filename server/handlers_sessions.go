package server

import (
	"net/http"
	"strings"

	"lapctl/spec"
)

// sessionCreateExtra is read from the body of POST /session beside
// lapctl's fields: the gateway's way of naming what to run, agent (an
// agent id or a harness) or harness. The gateway's timezone and tz are
// accepted and not stored: sessions here have no schedule to use them.
type sessionCreateExtra struct {
	Agent   string `json:"agent"`
	Harness string `json:"harness"`
}

// handleCreateSession starts a session of an agent and answers at once
// with status "starting"; GET /session/{id} follows its phase. A paused
// agent may start sessions: pause stops scheduled runs, not sessions (as
// on the gateway).
func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) error {
	var body spec.SessionSpec
	var in sessionCreateExtra
	if err := decodeJSON(w, r, &body, &in); err != nil {
		return err
	}
	askedID := body.AgentID
	harness, field, err := resolveSessionAgent(&in, &body)
	if err != nil {
		return err
	}
	if body.AgentID == "" && harness != "" {
		return s.startUnboundSession(w, r, &body, harness, field)
	}
	if err := body.Validate(); err != nil {
		return validationError(err)
	}
	agent, err := s.store.getAgent(r.Context(), body.AgentID, true)
	if err != nil {
		if askedID != "" {
			field = "agent_id"
		}
		return agentLookupError(err, body.AgentID, field)
	}
	if harness != "" && harness != agent.Harness {
		return badRequest(field, "agent %s runs the harness %s, not %s: leave %s out, or start a session of an agent with that harness",
			agent.ID, agent.Harness, harness, field)
	}
	rec, err := s.runtime.start(r.Context(), agent, &body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// startUnboundSession runs a harness with no agent behind it: no prompt,
// env vars or files but the session's own, the harness's default model.
// The gateway does the same for agent = a harness name (it only knows
// claude-code and turns any other name into it; here an unknown harness
// is a 400).
func (s *Server) startUnboundSession(w http.ResponseWriter, r *http.Request, body *spec.SessionSpec, harness, field string) error {
	if err := s.harnesses.checkHarness(harness); err != nil {
		if ae, ok := err.(*apiError); ok {
			ae.Field = field
		}
		return err
	}
	// The harness stands in for agent_id, which the rules otherwise require.
	check := *body
	check.AgentID = harness
	if err := check.Validate(); err != nil {
		return validationError(err)
	}
	agent := &agentRecord{AgentSpec: spec.AgentSpec{Harness: harness}}
	rec, err := s.runtime.start(r.Context(), agent, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// resolveSessionAgent reads the gateway's agent/harness fields as the
// gateway reads them: agent first, then harness; a value starting with
// agent_ is an agent id (put in body.AgentID), anything else a harness
// (returned). field is where the value came from.
func resolveSessionAgent(in *sessionCreateExtra, body *spec.SessionSpec) (harness, field string, err error) {
	requested, field := strings.TrimSpace(in.Agent), "agent"
	if requested == "" {
		requested, field = strings.TrimSpace(in.Harness), "harness"
	}
	if requested == "" {
		return "", "", nil
	}
	if !strings.HasPrefix(requested, prefixAgent) {
		return requested, field, nil
	}
	if body.AgentID != "" && body.AgentID != requested {
		return "", "", badRequest(field, "%s (%s) and agent_id (%s) name different agents: send one of them", field, requested, body.AgentID)
	}
	body.AgentID = requested
	return "", field, nil
}
func (s *Server) handleListSessions(w http.ResponseWriter, r *http.Request) error {
	recs, err := s.store.listSessions(r.Context(), r.URL.Query().Get("agent_id"))
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []*sessionRecord{}
	}
	writeJSON(w, http.StatusOK, recs)
	return nil
}

func (s *Server) handleGetSession(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.store.getSession(r.Context(), r.PathValue("id"))
	if err != nil {
		return sessionLookupError(err, r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// handleDeleteSession stops and removes a session. It answers true when
// there was one and false (still 200) for an unknown or already removed
// one, as the gateway does, so retries are safe and say what happened.
func (s *Server) handleDeleteSession(w http.ResponseWriter, r *http.Request) error {
	existed, err := s.runtime.deleteSession(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, existed)
	return nil
}

func (s *Server) handleListMessages(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := s.store.getSession(r.Context(), id); err != nil {
		return sessionLookupError(err, id)
	}
	msgs, err := s.store.listMessages(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, msgs)
	return nil
}

// handlePostMessage sends one message to an API session.
func (s *Server) handlePostMessage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	var body spec.MessageRequest
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	rec, err := s.store.getSession(r.Context(), id)
	if err != nil {
		return sessionLookupError(err, id)
	}
	if rec.Kind == spec.KindTUI {
		return conflict("session %s runs the TUI harness %s: attach to tty_url (%s) instead of sending messages (lapctl attach %s)",
			id, rec.Harness, ttyPath(id), id)
	}
	var text strings.Builder
	for _, p := range body.Parts {
		if p.Type == "text" || p.Type == "" {
			text.WriteString(p.Text)
		}
	}
	if strings.TrimSpace(text.String()) == "" {
		return badRequest("parts", "the message has no text: send parts like [{\"type\":\"text\",\"text\":\"…\"}]")
	}
	ls := s.runtime.lookup(id)
	if ls == nil {
		return conflict("session %s is not running (status %s): start a new session", id, rec.Status)
	}
	model := ""
	if body.Model != nil {
		model = body.Model.ModelID
	}
	reply, err := s.runtime.sendMessage(r.Context(), ls, text.String(), model)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, []spec.Message{reply})
	return nil
}

func sessionLookupError(err error, id string) error {
	if isNotFound(err) {
		return notFound("", "session %s not found: lapctl sessions list shows the sessions there are", id)
	}
	return err
}

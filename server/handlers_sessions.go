package server

import (
	"net/http"
	"strings"

	"lapctl/spec"
)

// handleCreateSession starts a session of an active agent and answers at
// once with status "starting"; GET /session/{id} follows its phase.
func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) error {
	var body spec.SessionSpec
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := body.Validate(); err != nil {
		return validationError(err)
	}
	agent, err := s.store.getAgent(r.Context(), body.AgentID, true)
	if err != nil {
		return agentLookupError(err, body.AgentID, "agent_id")
	}
	if agent.Status == spec.StatusPaused {
		return conflict("agent %s is paused: resume it first (lapctl agents resume %s)", agent.Name, agent.Name)
	}
	rec, err := s.runtime.start(r.Context(), agent, &body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
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

// handleDeleteSession stops and removes a session; it answers true for an
// unknown or already removed one too, so retries are safe.
func (s *Server) handleDeleteSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.runtime.deleteSession(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, true)
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

package managedfake

import (
	"net/http"
	"strings"
	"time"
)

// phase is where bring-up is, by the time since (re)start.
func (s *Server) phase(ss *session) string {
	i := int(time.Since(ss.restarted) / s.opts.PhaseStep)
	if i >= len(Phases) {
		i = len(Phases) - 1
	}
	return Phases[i]
}

func (s *Server) status(ss *session) string {
	switch {
	case ss.deleted:
		return "deleted"
	case s.failed(ss):
		return "failed"
	case s.phase(ss) == "ready":
		return "ready"
	}
	return "creating"
}

func (s *Server) failed(ss *session) bool {
	if s.opts.FailPhase == "" {
		return false
	}
	for _, p := range Phases {
		if p == s.opts.FailPhase {
			return phaseIndex(s.phase(ss)) >= phaseIndex(p)
		}
	}
	return false
}

func phaseIndex(p string) int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

// apiSession is toApiSession.
func (s *Server) apiSession(ss *session, fresh bool) map[string]any {
	st := s.status(ss)
	var phase, detail, failure, ttyURL, ttyToken, sandbox any
	switch {
	case fresh:
		st = "creating"
	case st == "failed":
		phase = s.opts.FailPhase
		failure = "sandbox bring-up failed during " + s.opts.FailPhase
	default:
		phase = s.phase(ss)
		if phase == "cloning_repo" {
			detail = "git clone"
		}
	}
	if st == "ready" {
		sandbox = "http://10.0.0.1:4096"
		if ss.tui {
			ttyToken = s.TTYToken
			if s.opts.TTY != nil {
				ttyURL = Prefix + "/sessions/" + ss.id + "/tty"
			}
		}
	}
	var last any
	if ss.lastSeen != nil {
		last = iso(*ss.lastSeen)
	}
	var title any
	if ss.title != "" {
		title = ss.title
	}
	return map[string]any{
		"id": ss.id, "agent_id": ss.agentID, "sandbox_url": sandbox, "harness_session_id": nil, "tty_url": ttyURL,
		"tty_token": ttyToken, "supports_tui": ss.tui, "status": st, "task_arn": nil, "response": nil,
		"created_at": iso(ss.created), "last_seen_at": last, "idle_timeout_ms": 1800000, "failure_reason": failure,
		"phase": phase, "phase_detail": detail, "origin": nil, "title_preview": nil, "sandboxes": nil, "title": title,
	}
}

func (s *Server) createSession(w http.ResponseWriter, agentID string, b map[string]any) {
	_, a := s.findAgent(agentID)
	if a == nil {
		httpError(w, http.StatusNotFound, "agent not found")
		return
	}
	var issues []issue
	title, _ := optString(b, "title", &issues)
	optString(b, "initial_prompt", &issues)
	validateEnv(b["env_vars"], &issues)
	if len(issues) > 0 {
		httpError(w, http.StatusBadRequest, issues)
		return
	}
	now := time.Now()
	ss := &session{id: "ses_" + randomHex(8), agentID: agentID, title: title, tui: a["supports_tui"] == true, created: now, restarted: now}
	s.sessions[ss.id] = ss
	writeJSON(w, http.StatusOK, s.apiSession(ss, true))
}

func (s *Server) sessionRoute(w http.ResponseWriter, method, id string) {
	ss := s.sessions[id]
	if ss == nil {
		httpError(w, http.StatusNotFound, "session not found")
		return
	}
	switch method {
	case http.MethodGet:
		writeJSON(w, 200, s.apiSession(ss, false))
	case http.MethodDelete:
		ss.deleted = true // idempotent
		writeJSON(w, 200, map[string]any{"id": id, "status": "deleted"})
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func (s *Server) restart(w http.ResponseWriter, id string) {
	ss := s.sessions[id]
	if ss == nil || ss.deleted {
		httpError(w, http.StatusNotFound, "session not found")
		return
	}
	if s.status(ss) == "creating" {
		httpError(w, http.StatusConflict, "session is still creating")
		return
	}
	ss.restarted = time.Now()
	writeJSON(w, 200, s.apiSession(ss, true))
}

// message is SendMessageBody {text?, parts?}; 404 until ready.
func (s *Server) message(w http.ResponseWriter, id string, b map[string]any) {
	ss := s.sessions[id]
	if ss == nil || s.status(ss) != "ready" {
		httpError(w, http.StatusNotFound, "session "+id+" not found or not ready")
		return
	}
	if ss.tui {
		// A PTY harness has no opencode message API behind it.
		httpError(w, http.StatusBadGateway, "harness request failed")
		return
	}
	text, _ := b["text"].(string)
	if parts, ok := b["parts"].([]any); ok {
		var sb strings.Builder
		for _, p := range parts {
			if pm, ok := p.(map[string]any); ok {
				t, _ := pm["text"].(string)
				sb.WriteString(t)
			}
		}
		text = sb.String()
	}
	now := time.Now()
	ss.lastSeen = &now
	writeJSON(w, 200, map[string]any{"info": map[string]any{"role": "assistant"}, "parts": []any{map[string]any{"type": "text", "text": "echo: " + text}}})
}

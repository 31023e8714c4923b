// Package gatewayfake is an HTTP server that speaks what the platform's
// current hosted server (the Rust/axum "gateway", PLATFORM.md) speaks,
// for tests of lapctl's gateway dialect. It was written from the
// platform's sources at HEAD: src/http/routes.rs (routes, the web UI's
// index.html fallback for unknown GETs), src/http/agents.rs
// (CreateManagedAgent/UpdateManagedAgent: stored fields, harness coercion
// to claude-code, the agent-builder-<name> session, status paused),
// src/http/sessions.rs and src/http/sessions/types.rs (and agents.rs's
// GET /event stream, keyed by ?key=) (POST /session
// reading agent/harness/title, messages needing model.modelID, async
// replies), src/http/models.rs and runtime_harnesses/mod.rs (catalogs),
// and axum's body extractors (plain-text 400/415/422/413 before the key
// check). It imports only the standard library: it must not share
// lapctl's types, or it would agree with the client by construction.
package gatewayfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options tune the fake.
type Options struct {
	// MasterKey is required on every route but /health; empty leaves
	// everything open, as the gateway does without a master key.
	MasterKey string
	// ReplyDelay is how long an assistant reply takes to appear.
	ReplyDelay time.Duration
}

// Server is a running gateway fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	mu       sync.Mutex
	seq      int
	agents   []map[string]any
	skills   []map[string]any
	sessions []*session
	subs     map[chan string]bool
	// Requests counts requests by "METHOD path" (tests check what was sent).
	requests map[string]int
	bodies   map[string][]map[string]any
}

type session struct {
	obj      map[string]any
	messages []map[string]any
}

// Start runs a fake on 127.0.0.1 until the test ends.
func Start(t testing.TB, opts Options) *Server {
	s := &Server{opts: opts, subs: map[chan string]bool{}, requests: map[string]int{}, bodies: map[string][]map[string]any{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Requests returns how often "METHOD /path" was called.
func (s *Server) Requests(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[key]
}

// Bodies returns the decoded JSON bodies sent to "METHOD /path".
func (s *Server) Bodies(key string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.bodies[key]...)
}

func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s_%06d", prefix, s.seq)
}

func gatewayError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"type": "gateway_error", "message": msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, msg)
}

const indexHTML = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LiteLLM Agent Platform</title></head><body><div id="root"></div><script type="module" src="/assets/index.js"></script></body></html>`

func (s *Server) authorized(r *http.Request) bool {
	if s.opts.MasterKey == "" {
		return true
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") && h[len("Bearer "):] == s.opts.MasterKey {
		return true
	}
	return r.Header.Get("x-api-key") == s.opts.MasterKey
}

// route splits a path into its pattern and id.
func route(method, path string) (string, string, string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 3 && parts[0] == "api" && (parts[1] == "agents" || parts[1] == "skills"):
		return method + " /api/" + parts[1] + "/{id}", parts[2], ""
	case len(parts) == 4 && parts[0] == "api" && parts[1] == "agents" && (parts[3] == "pause" || parts[3] == "resume"):
		return method + " /api/agents/{id}/action", parts[2], parts[3]
	case len(parts) == 2 && parts[0] == "session":
		return method + " /session/{id}", parts[1], ""
	case len(parts) == 3 && parts[0] == "session" && parts[2] == "message":
		return method + " /session/{id}/message", parts[1], ""
	}
	return method + " " + path, "", ""
}

var known = map[string]bool{
	"GET /health": true, "GET /api/agents": true, "POST /api/agents": true, "GET /api/agents/{id}": true,
	"PATCH /api/agents/{id}": true, "DELETE /api/agents/{id}": true, "POST /api/agents/{id}/action": true,
	"GET /api/skills": true, "POST /api/skills": true, "GET /api/skills/{id}": true, "PATCH /api/skills/{id}": true,
	"DELETE /api/skills/{id}": true, "GET /session": true, "POST /session": true, "GET /session/{id}": true,
	"DELETE /session/{id}": true, "GET /session/{id}/message": true, "POST /session/{id}/message": true,
	"GET /event": true, "GET /v1/models": true, "GET /api/agent-runtimes": true, "GET /api/runtime-harnesses": true,
	"GET /api/capabilities": true,
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	key, id, action := route(r.Method, r.URL.Path)
	s.mu.Lock()
	s.requests[r.Method+" "+r.URL.Path]++
	s.mu.Unlock()
	if !known[key] {
		if r.Method == http.MethodGet {
			// The web UI's fallback: every unknown GET is the SPA.
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, indexHTML)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var body map[string]any
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		if key != "POST /api/agents/{id}/action" {
			var ok bool
			if body, ok = readBody(w, r, key); !ok {
				return
			}
			s.mu.Lock()
			s.bodies[r.Method+" "+r.URL.Path] = append(s.bodies[r.Method+" "+r.URL.Path], body)
			s.mu.Unlock()
		}
	}
	if key == "GET /health" {
		writeJSON(w, 200, map[string]any{"status": "ok"})
		return
	}
	if key == "GET /event" {
		// require_events_master_key: ?key= (an EventSource sends no
		// headers), else the usual header.
		if s.opts.MasterKey != "" && r.URL.Query().Get("key") != s.opts.MasterKey && !s.authorized(r) {
			gatewayError(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		s.events(w, r)
		return
	}
	if !s.authorized(r) {
		gatewayError(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handle(w, r.URL.Query(), key, id, action, body)
}

func str(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}

func now() int64 { return time.Now().UnixMilli() }

func (s *Server) findAgent(id string) (int, map[string]any) {
	for i, a := range s.agents {
		if a["id"] == id {
			return i, a
		}
	}
	return -1, nil
}

func (s *Server) findSession(id string) *session {
	for _, ss := range s.sessions {
		if ss.obj["id"] == id {
			return ss
		}
	}
	return nil
}

func (s *Server) handle(w http.ResponseWriter, q url.Values, key, id, action string, body map[string]any) {
	switch key {
	case "GET /api/agents":
		out := []map[string]any{}
		for _, a := range s.agents { // oldest first; search, limit, sort ignored
			if o := q.Get("owner_id"); o == "" || a["owner_id"] == o {
				out = append(out, a)
			}
		}
		writeJSON(w, 200, map[string]any{"agents": out})
	case "POST /api/agents":
		s.createAgent(w, body)
	case "GET /api/agents/{id}":
		if _, a := s.findAgent(id); a != nil {
			writeJSON(w, 200, a)
			return
		}
		gatewayError(w, 404, "agent not found")
	case "PATCH /api/agents/{id}":
		s.updateAgent(w, id, body)
	case "DELETE /api/agents/{id}":
		i, a := s.findAgent(id)
		if a == nil {
			gatewayError(w, 404, "agent not found")
			return
		}
		s.agents = append(s.agents[:i], s.agents[i+1:]...)
		writeJSON(w, 200, map[string]any{"ok": true})
	case "POST /api/agents/{id}/action":
		_, a := s.findAgent(id)
		if a == nil {
			gatewayError(w, 404, "agent not found")
			return
		}
		a["status"] = map[string]string{"pause": "paused", "resume": "active"}[action]
		writeJSON(w, 200, map[string]any{"id": id, "status": a["status"]})
	case "GET /api/skills", "POST /api/skills", "GET /api/skills/{id}", "PATCH /api/skills/{id}", "DELETE /api/skills/{id}":
		s.skillsRoute(w, q, key, id, body)
	case "GET /session":
		out := []map[string]any{}
		for _, ss := range s.sessions { // ?agent_id is ignored
			out = append(out, ss.obj)
		}
		writeJSON(w, 200, out)
	case "POST /session":
		writeJSON(w, 200, s.createSession(body))
	case "GET /session/{id}":
		if ss := s.findSession(id); ss != nil {
			writeJSON(w, 200, ss.obj)
			return
		}
		gatewayError(w, 404, "session not found")
	case "DELETE /session/{id}":
		for i, ss := range s.sessions {
			if ss.obj["id"] == id {
				s.sessions = append(s.sessions[:i], s.sessions[i+1:]...)
				writeJSON(w, 200, true)
				return
			}
		}
		writeJSON(w, 200, false)
	case "GET /session/{id}/message":
		ss := s.findSession(id)
		if ss == nil {
			gatewayError(w, 404, "session not found")
			return
		}
		writeJSON(w, 200, append([]map[string]any{}, ss.messages...))
	case "POST /session/{id}/message":
		s.postMessage(w, id, body)
	case "GET /v1/models":
		writeJSON(w, 200, map[string]any{"object": "list", "data": []map[string]any{
			{"id": "claude-sonnet-4-6", "object": "model", "created": 0, "owned_by": "anthropic"}}})
	case "GET /api/agent-runtimes":
		var rts []map[string]any
		for _, id := range runtimes {
			rts = append(rts, map[string]any{"id": id, "name": id, "connected": false})
		}
		writeJSON(w, 200, map[string]any{"runtimes": rts})
	case "GET /api/runtime-harnesses":
		var hs []map[string]any
		for _, id := range runtimes {
			hs = append(hs, map[string]any{"alias": id, "display_name": id, "api_spec": "runtime", "is_default": true, "connected": false})
		}
		writeJSON(w, 200, map[string]any{"harnesses": hs})
	case "GET /api/capabilities":
		writeJSON(w, 200, map[string]any{"sessions": true, "agents": true})
	}
}

var runtimes = []string{"claude_managed_agents", "cursor", "gemini_antigravity", "elastic_agent_builder"}

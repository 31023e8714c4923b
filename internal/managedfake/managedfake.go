// Package managedfake is an HTTP server that speaks what the platform's
// earlier server (TypeScript/Next.js, "managed" in PLATFORM.md) speaks,
// for tests of lapctl's managed dialect. It was written from the
// platform's sources: src/app/api/v1/managed_agents/agents/route.ts
// (list {data,total,limit,offset} with limit 1–200, search, sort, order;
// create → 200, harness_id default opencode, unknown harness → nested
// {"error":{"error":…}}, unknown skill → 404), agents/[agent_id]/route.ts
// (GET, PATCH → 200, DELETE → 204), agents/[agent_id]/session/route.ts
// (the creating row returned at once, phases set in the background),
// sessions/[session_id]/route.ts, …/message/route.ts (404 until ready,
// 502 "harness request failed"), …/restart/route.ts (409 while
// creating), src/server/types.ts (the zod bodies CreateAgentBody,
// UpdateAgentBody, CreateSessionBody; ApiAgent, ApiSession; the reserved
// env keys) and server-proxy.mjs (the ?token= check on the tty upgrade).
// It imports only the standard library, so it cannot agree with the
// client by sharing its types.
package managedfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Prefix is where the managed API lives.
const Prefix = "/api/v1/managed_agents"

// Phases are the bring-up phases a session passes, in order.
var Phases = []string{"creating_sandbox", "pod_pending", "pod_running", "injecting_files", "waiting_harness",
	"harness_ready", "cloning_repo", "installing_deps", "harness_listening", "ready"}

// TUIHarnesses have a PTY over /tty (supports_tui).
var TUIHarnesses = map[string]bool{"claude-code": true, "codex": true, "hermes": true, "gemini": true}

// KnownHarnesses is KNOWN_HARNESSES.
var KnownHarnesses = []string{"opencode", "claude-agent-sdk", "claude-code", "codex", "hermes", "gemini"}

// Options tune the fake.
type Options struct {
	MasterKey string
	// PhaseStep is how long each bring-up phase lasts (default 5ms).
	PhaseStep time.Duration
	// FailPhase, when set, fails bring-up on reaching that phase.
	FailPhase string
	// TTY, when set, serves ready TUI sessions' tty_url: the request
	// arrives with its path rewritten to /tty, after the token check.
	TTY http.Handler
	// SkillIDs exist (owned by the key's user).
	SkillIDs []string
}

// Server is a running managed fake.
type Server struct {
	URL string
	// TTYToken is the one platform-wide harness token (HARNESS_AUTH_TOKEN).
	TTYToken string
	opts     Options
	srv      *httptest.Server

	mu       sync.Mutex
	agents   []map[string]any
	sessions map[string]*session
	requests map[string]int
}

type session struct {
	id, agentID, title string
	tui                bool
	created, restarted time.Time
	deleted            bool
	lastSeen           *time.Time
}

// Start runs a fake on 127.0.0.1 until the test ends.
func Start(t testing.TB, opts Options) *Server {
	if opts.PhaseStep == 0 {
		opts.PhaseStep = 5 * time.Millisecond
	}
	s := &Server{opts: opts, TTYToken: randomHex(16), sessions: map[string]*session{}, requests: map[string]int{}}
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

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// httpError is the routes' {error: detail}.
func httpError(w http.ResponseWriter, status int, detail any) {
	writeJSON(w, status, map[string]any{"error": detail})
}

const notFoundHTML = `<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head><body><h1>404</h1><h2>This page could not be found.</h2></body></html>`

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.Method+" "+r.URL.Path]++
	s.mu.Unlock()
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix+"/")
	if !ok {
		notFound(w)
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) == 3 && parts[0] == "sessions" && parts[2] == "tty" {
		s.tty(w, r, parts[1])
		return
	}
	if !s.authorized(r) {
		httpError(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	var body map[string]any
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		data, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if len(strings.TrimSpace(string(data))) > 0 || !(len(parts) == 3 && parts[2] == "restart") {
			if err := json.Unmarshal(data, &body); err != nil {
				// req.json() throws a SyntaxError: the generic handler's 500.
				httpError(w, http.StatusInternalServerError, "internal error")
				return
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case len(parts) == 1 && parts[0] == "agents" && r.Method == http.MethodGet:
		s.listAgents(w, r)
	case len(parts) == 1 && parts[0] == "agents" && r.Method == http.MethodPost:
		s.createAgent(w, body)
	case len(parts) == 2 && parts[0] == "agents":
		s.agentRoute(w, r.Method, parts[1], body)
	case len(parts) == 3 && parts[0] == "agents" && parts[2] == "session" && r.Method == http.MethodPost:
		s.createSession(w, parts[1], body)
	case len(parts) == 2 && parts[0] == "sessions":
		s.sessionRoute(w, r.Method, parts[1])
	case len(parts) == 3 && parts[0] == "sessions" && parts[2] == "message" && r.Method == http.MethodPost:
		s.message(w, parts[1], body)
	case len(parts) == 3 && parts[0] == "sessions" && parts[2] == "restart" && r.Method == http.MethodPost:
		s.restart(w, parts[1])
	default:
		notFound(w)
	}
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, notFoundHTML)
}

func (s *Server) authorized(r *http.Request) bool {
	return s.opts.MasterKey == "" || r.Header.Get("Authorization") == "Bearer "+s.opts.MasterKey
}

// tty is server-proxy.mjs: ?token= against the platform-wide token, then
// the upgrade goes to the sandbox harness's /tty.
func (s *Server) tty(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	ss := s.sessions[id]
	ready := ss != nil && !ss.deleted && s.phase(ss) == "ready" && ss.tui
	s.mu.Unlock()
	if s.opts.TTY == nil || !ready {
		notFound(w)
		return
	}
	if r.URL.Query().Get("token") != s.TTYToken {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "unauthorized")
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = "/tty", ""
	s.opts.TTY.ServeHTTP(w, r2)
}

package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"lapctl/spec"
)

// handlerFunc is a handler that reports failure by returning an error;
// serveError turns it into the contract's error body.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// routes builds the API: every endpoint of API.md behind the master key,
// except /health (for probes) and the tty endpoint, which its session
// token guards.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h handlerFunc) {
		mux.Handle(pattern, s.protect(s.adapt(h)))
	}
	mux.Handle("GET /health", s.adapt(s.handleHealth))
	mux.Handle("GET /session/{id}/tty", s.adapt(s.handleTTY))

	handle("GET /v1/models", s.handleModels)
	handle("GET /api/agent-runtimes", s.handleRuntimes)
	handle("GET /api/runtime-harnesses", s.handleRuntimeHarnesses)
	handle("GET /api/harnesses", s.handleHarnesses)

	handle("GET /api/agents", s.handleListAgents)
	handle("POST /api/agents", s.handleCreateAgent)
	handle("GET /api/agents/{id}", s.handleGetAgent)
	handle("PATCH /api/agents/{id}", s.handlePatchAgent)
	handle("DELETE /api/agents/{id}", s.handleDeleteAgent)
	handle("POST /api/agents/{id}/pause", s.handleSetAgentStatus(spec.StatusPaused))
	handle("POST /api/agents/{id}/resume", s.handleSetAgentStatus(spec.StatusActive))

	handle("GET /api/skills", s.handleListSkills)
	handle("POST /api/skills", s.handleCreateSkill)
	handle("GET /api/skills/{id}", s.handleGetSkill)
	handle("PATCH /api/skills/{id}", s.handlePatchSkill)
	handle("DELETE /api/skills/{id}", s.handleDeleteSkill)

	handle("GET /session", s.handleListSessions)
	handle("POST /session", s.handleCreateSession)
	handle("GET /session/{id}", s.handleGetSession)
	handle("DELETE /session/{id}", s.handleDeleteSession)
	handle("GET /session/{id}/message", s.handleListMessages)
	handle("POST /session/{id}/message", s.handlePostMessage)

	// The catch-all answers what no route matches. Go's mux would send a
	// plain-text 404 or 405; the contract wants its error shape.
	mux.Handle("/", s.adapt(func(w http.ResponseWriter, r *http.Request) error {
		return s.noRoute(mux, w, r)
	}))
	return s.logRequests(s.checkHost(s.recoverPanics(mux)))
}

// noRoute answers 405 (with Allow) when the path exists under another
// method, else 404. Unknown paths still need the key, so they reveal
// nothing to an unauthenticated caller.
func (s *Server) noRoute(mux *http.ServeMux, w http.ResponseWriter, r *http.Request) error {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	public := len(allowed) > 0 && (r.URL.Path == "/health" || strings.HasSuffix(r.URL.Path, "/tty"))
	if !public {
		if err := s.authorize(r); err != nil {
			return err
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return newAPIError(http.StatusMethodNotAllowed, spec.ErrInvalidRequest, "",
			"method %s is not allowed on %s: use %s", r.Method, r.URL.Path, strings.Join(allowed, " or "))
	}
	return notFound("", "no such endpoint: %s %s (see the API contract for the endpoints)", r.Method, r.URL.Path)
}

// adapt runs a handlerFunc and writes its error, if any.
func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// serveError writes err in the contract's shape. Errors the user can act
// on (*apiError) are shown as they are; anything else is logged in full
// and answered with a 500 that points at the log.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		switch {
		case r.Context().Err() != nil:
			s.clientGone(w, r, err)
			return
		case isDiskFull(err):
			ae = s.diskFull(r, err)
		default:
			s.log.Error("request failed", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
			ae = newAPIError(http.StatusInternalServerError, spec.ErrServer, "",
				"internal server error (request %s): see the server log", requestID(r))
		}
	}
	writeJSON(w, ae.Status, ae.body())
}

// jsonBuffers are reused response buffers: a list page is tens of KiB.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps a rare huge body from being held by the pool.
const maxPooledBuffer = 1 << 20

// writeJSON writes v as the JSON response body, encoded whole first so it
// goes out in one write with its Content-Length (not chunked).
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Our own types always encode; should one not, the client gets
		// the contract's error rather than half a body.
		status, buf = http.StatusInternalServerError, bytes.NewBufferString(`{"error":{"type":"server_error","message":"response cannot be encoded"}}`+"\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write means the client left
}

// protect requires the master key.
func (s *Server) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.authorize(r); err != nil {
			s.serveError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorize checks the master key from Authorization: Bearer or
// x-api-key. Hashing both sides first makes the comparison constant-time
// in the key's length as well as its content.
func (s *Server) authorize(r *http.Request) error {
	want := sha256.Sum256([]byte(s.masterKey))
	for _, got := range presentedKeys(r) {
		h := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(h[:], want[:]) == 1 {
			return nil
		}
	}
	return unauthorized("missing or invalid API key: pass Authorization: Bearer <LITELLM_MASTER_KEY>")
}

// presentedKeys returns the keys a request carries, header by header.
func presentedKeys(r *http.Request) []string {
	var keys []string
	if auth := r.Header.Get("Authorization"); auth != "" {
		if scheme, token, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "Bearer") {
			keys = append(keys, strings.TrimSpace(token))
		}
	}
	if k := r.Header.Get("X-Api-Key"); k != "" {
		keys = append(keys, k)
	}
	return keys
}

type requestIDKey struct{}

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// logRequests gives each request an id (returned as X-Request-Id) and logs
// one line when it ends. Only the path is logged: query strings may hold
// tty tokens.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
		s.log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration_ms", time.Since(start).Milliseconds())
	})
}

// recoverPanics turns a handler panic into a logged 500, so one bad
// request cannot take the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "request_id", requestID(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.serveError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status for the log line. It passes
// Hijack through, which the WebSocket upgrade needs.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response does not support hijacking")
	}
	w.status, w.wroteHeader = http.StatusSwitchingProtocols, true
	return h.Hijack()
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

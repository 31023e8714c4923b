package harnessfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// serveHTTP is the bridge's plain handler: /healthz and the
// platform-compat stubs, 404 JSON for the rest.
func (h *Harness) serveHTTP(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.RequestURI()
	switch {
	case uri == "/healthz": // exact, as req.url === "/healthz"
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "cmd": strings.Join(h.opts.Command, " "),
			"repo": h.dir(), "auth_required": h.opts.Token != ""})
	case r.Method == http.MethodPost && uri == "/session":
		writeJSON(w, http.StatusOK, map[string]string{"id": "tty"})
	case isMessagePath(uri) && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("[]"))
	case isMessagePath(uri) && r.Method == http.MethodPost:
		writeJSON(w, http.StatusOK, map[string]string{"text": "this is a TUI harness — connect to /tty"})
	case r.Method == http.MethodPost && isSessionPath(uri, "abort"):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("{}"))
	case r.Method == http.MethodGet && strings.HasPrefix(uri, "/event"):
		serveEvents(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

func isMessagePath(uri string) bool { return isSessionPath(uri, "message") }

// isSessionPath matches /session/<id>/<leaf> exactly, as the bridge's
// regular expressions do.
func isSessionPath(uri, leaf string) bool {
	rest, ok := strings.CutPrefix(uri, "/session/")
	id, tail, found := strings.Cut(rest, "/")
	return ok && found && id != "" && tail == leaf
}

// serveEvents is the bridge's idle SSE bus: comments every 15s so the
// platform's stream tail stays open; no events ever.
func serveEvents(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if _, err := w.Write([]byte(":keepalive\n\n")); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

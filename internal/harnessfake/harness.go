package harnessfake

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"
)

// SessionName is the bridge's fixed tmux session: one agent per pod.
const SessionName = "lap"

// Options configure a Harness the way the pod's environment configures
// the bridge.
type Options struct {
	// Token is HARNESS_AUTH_TOKEN. Empty: every /tty upgrade is refused
	// with 401, as the real bridge fails closed.
	Token string
	// Command is POC_CMD as argv; default /bin/sh.
	Command []string
	// Direct spawns Command itself for each connection, with no tmux, as
	// the platform's earlier bridge did: closing the socket ends the
	// process (SIGHUP), and the exit notice carries the process's own
	// code instead of tmux's.
	Direct bool
	// Dir is REPO_DIR, the command's working directory ("" the test's).
	Dir string
	// Env is added to the process environment (KEY=value).
	Env []string
}

// Harness is one bridge: an http.Handler serving /tty and /healthz, with
// its own tmux server.
type Harness struct {
	opts   Options
	socket string // tmux -L name, unique per Harness
	tmux   string // tmux's path; "" in Direct mode

	spawns   atomic.Int64
	upgrader websocket.Upgrader

	mu      sync.Mutex
	closed  bool
	bridges map[*bridge]struct{}
	wg      sync.WaitGroup
}

// New makes a Harness. Outside Direct mode tmux must be on PATH.
func New(opts Options) (*Harness, error) {
	if len(opts.Command) == 0 {
		opts.Command = []string{"/bin/sh"}
	}
	opts.Token = strings.TrimSpace(opts.Token)
	h := &Harness{
		opts:    opts,
		bridges: map[*bridge]struct{}{},
		// The bridge (ws) checks no Origin, and its frames are small.
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
	}
	if !opts.Direct {
		path, err := exec.LookPath("tmux")
		if err != nil {
			return nil, fmt.Errorf("harnessfake: the bridge runs tmux, which is not on PATH (install tmux, or set Options.Direct): %w", err)
		}
		var b [6]byte
		_, _ = rand.Read(b[:])
		h.tmux, h.socket = path, fmt.Sprintf("lapfake-%d-%s", os.Getpid(), hex.EncodeToString(b[:]))
	}
	return h, nil
}

// Server is a Harness on a loopback httptest server.
type Server struct {
	*Harness
	URL string // http://127.0.0.1:port
}

// TTYURL is the ws:// URL of /tty, without a token.
func (s *Server) TTYURL() string { return "ws" + strings.TrimPrefix(s.URL, "http") + "/tty" }

// Start runs a Harness on 127.0.0.1 until the test ends. Without tmux on
// PATH (and not Direct), the test is skipped, naming what to install.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	h, err := New(opts)
	if err != nil {
		t.Skip(err.Error())
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		ts.Close()
	})
	return &Server{Harness: h, URL: ts.URL}
}

// ServeHTTP routes as the bridge does: upgrades are the WebSocket
// server's (path /tty only), everything else the plain HTTP handler's.
func (h *Harness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isUpgrade(r) {
		h.serveUpgrade(w, r)
		return
	}
	h.serveHTTP(w, r)
}

// isUpgrade is what makes Node's http server emit "upgrade" instead of
// "request".
func isUpgrade(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" && headerHasToken(r.Header, "Connection", "upgrade")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

func (h *Harness) serveUpgrade(w http.ResponseWriter, r *http.Request) {
	// ws compares the path without the query; another path is a 400.
	if r.URL.Path != "/tty" {
		abortHandshake(w, http.StatusBadRequest, http.StatusText(http.StatusBadRequest))
		return
	}
	if !h.authed(r) {
		abortHandshake(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	if !h.track(nil) {
		ws.Close()
		return
	}
	h.runBridge(ws)
}

// abortHandshake answers a refused upgrade as ws's abortHandshake does.
func abortHandshake(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Connection", "close")
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// authed: the bearer header when there is one (even a wrong one), else
// ?token=, compared in constant time; no configured token matches nothing.
func (h *Harness) authed(r *http.Request) bool {
	presented := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(strings.ToLower(auth), "bearer ") {
		presented = strings.TrimSpace(auth[7:])
	} else {
		presented = r.URL.Query().Get("token")
	}
	if h.opts.Token == "" || presented == "" || len(presented) != len(h.opts.Token) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(presented), []byte(h.opts.Token)) == 1
}

func (h *Harness) dir() string {
	if h.opts.Dir != "" {
		return h.opts.Dir
	}
	wd, _ := os.Getwd()
	return wd
}

// Spawns counts the processes (tmux clients, or commands in Direct mode)
// started for connections.
func (h *Harness) Spawns() int { return int(h.spawns.Load()) }

// Alive reports whether the tmux session (the agent) is running.
func (h *Harness) Alive() bool {
	if h.tmux == "" {
		return false
	}
	return h.tmuxCmd("has-session", "-t", SessionName).Run() == nil
}

// Screen is the tmux pane's visible text, as capture-pane prints it.
func (h *Harness) Screen() (string, error) {
	if h.tmux == "" {
		return "", errors.New("harnessfake: no tmux screen in Direct mode")
	}
	out, err := h.tmuxCmd("capture-pane", "-p", "-t", SessionName).Output()
	return string(out), err
}

// tmuxCmd is a tmux command on this Harness's own server.
func (h *Harness) tmuxCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(h.tmux, append([]string{"-L", h.socket, "-f", os.DevNull}, args...)...)
	cmd.Env = h.env()
	return cmd
}

// env is the pod's environment: ours, without a surrounding tmux (which
// would make tmux refuse to nest), as node-pty's name sets TERM, and a
// UTF-8 locale so tmux passes UTF-8 through.
func (h *Harness) env() []string {
	var env []string
	hasLocale := false
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "TMUX", "TMUX_PANE", "TERM":
			continue
		case "LC_ALL", "LC_CTYPE", "LANG":
			up := strings.ToUpper(v)
			if !strings.Contains(up, "UTF-8") && !strings.Contains(up, "UTF8") {
				continue
			}
			hasLocale = true
		}
		env = append(env, kv)
	}
	env = append(env, "TERM=xterm-256color")
	if !hasLocale {
		env = append(env, "LANG=C.UTF-8")
	}
	return append(env, h.opts.Env...)
}

// track registers b (nil: only checks the Harness is open).
func (h *Harness) track(b *bridge) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	if b != nil {
		h.bridges[b] = struct{}{}
		h.wg.Add(1)
	}
	return true
}

func (h *Harness) untrack(b *bridge) {
	h.mu.Lock()
	delete(h.bridges, b)
	h.mu.Unlock()
	h.wg.Done()
}

// Close drops every connection (as a pod going away would), ends their
// processes and the tmux server, and waits.
func (h *Harness) Close() error {
	h.mu.Lock()
	h.closed = true
	for b := range h.bridges {
		b.ws.Close()
	}
	h.mu.Unlock()
	h.wg.Wait()
	if h.tmux != "" {
		_ = h.tmuxCmd("kill-server").Run()
	}
	return nil
}

// DropConnections cuts every connection without a close frame, as a
// network failure would; the tmux session lives on.
func (h *Harness) DropConnections() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for b := range h.bridges {
		b.ws.NetConn().Close()
	}
}

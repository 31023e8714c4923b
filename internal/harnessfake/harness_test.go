package harnessfake

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

const token = "tty-secret"

const wait = 10 * time.Second

// peer is a test's WebSocket client of the fake: it keeps every frame.
type peer struct {
	ws *websocket.Conn

	mu     sync.Mutex
	cond   *sync.Cond
	out    strings.Builder
	binary int   // binary frames seen (the bridge sends none)
	end    error // how the read side ended
}

func dialPeer(t *testing.T, s *Server, query string, header http.Header) *peer {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(s.TTYURL()+query, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	p := &peer{ws: ws}
	p.cond = sync.NewCond(&p.mu)
	go func() {
		for {
			mt, b, err := ws.ReadMessage()
			p.mu.Lock()
			if err != nil {
				p.end = err
				p.cond.Broadcast()
				p.mu.Unlock()
				return
			}
			if mt == websocket.BinaryMessage {
				p.binary++
			}
			p.out.Write(b)
			p.cond.Broadcast()
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return p
}

func (p *peer) text(t *testing.T, s string) {
	t.Helper()
	if err := p.ws.WriteMessage(websocket.TextMessage, []byte(s)); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until want appears in the output after from; it returns
// the offset past it.
func (p *peer) waitFor(t *testing.T, from int, want string) int {
	t.Helper()
	timer := time.AfterFunc(wait, func() { p.mu.Lock(); p.cond.Broadcast(); p.mu.Unlock() })
	defer timer.Stop()
	deadline := time.Now().Add(wait)
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		s := p.out.String()
		if i := strings.Index(s[min(from, len(s)):], want); i >= 0 {
			return from + i + len(want)
		}
		if p.end != nil || time.Now().After(deadline) {
			t.Fatalf("never saw %q (end %v); got %q", want, p.end, s[min(from, len(s)):])
		}
		p.cond.Wait()
	}
}

// closed waits for the read side to end and returns its error.
func (p *peer) closed(t *testing.T) error {
	t.Helper()
	deadline := time.Now().Add(wait)
	timer := time.AfterFunc(wait, func() { p.mu.Lock(); p.cond.Broadcast(); p.mu.Unlock() })
	defer timer.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.end == nil {
		if time.Now().After(deadline) {
			t.Fatal("the bridge did not close")
		}
		p.cond.Wait()
	}
	return p.end
}

func (p *peer) detach() {
	p.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	p.ws.Close()
}

func upgradeReq(t *testing.T, url string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if header != nil {
		req.Header = header.Clone()
	}
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestAuthAndRoutes(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Token: token})
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	for _, tc := range []struct {
		name   string
		path   string
		header http.Header
		want   int
		body   string
	}{
		{"no token", "/tty", nil, 401, "unauthorized"},
		{"wrong query token", "/tty?token=nope", nil, 401, "unauthorized"},
		{"wrong header beats right query", "/tty?token=" + token, bearer("nope"), 401, "unauthorized"},
		{"other path", "/session/x/tty?token=" + token, nil, 400, "Bad Request"},
	} {
		resp := upgradeReq(t, s.URL+tc.path, tc.header)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tc.want || string(body) != tc.body || resp.Header.Get("Content-Type") != "text/html" {
			t.Errorf("%s: %d %q (%s), want %d %q text/html", tc.name, resp.StatusCode, body, resp.Header.Get("Content-Type"), tc.want, tc.body)
		}
	}
	if n := s.Spawns(); n != 0 {
		t.Errorf("refused upgrades spawned %d processes", n)
	}

	resp, err := http.Get(s.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"auth_required":true`) || strings.Contains(string(body), token) {
		t.Errorf("/healthz: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(s.URL + "/tty")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("plain GET /tty: %d, want the HTTP handler's 404", resp.StatusCode)
	}

	// A right header beats a wrong query.
	p := dialPeer(t, s, "?token=nope", bearer(token))
	p.text(t, "echo in\r")
	p.waitFor(t, 0, "in")
	p.detach()
	if n := s.Spawns(); n != 1 {
		t.Errorf("spawns = %d, want 1", n)
	}
}

func TestNoConfiguredTokenRefusesAll(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Direct: true})
	resp := upgradeReq(t, s.URL+"/tty?token=", http.Header{"Authorization": {"Bearer "}})
	if resp.StatusCode != 401 {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
}

// The stream is tmux's: alternate screen, a status line, one row less
// than the client. Closing detaches; the next connection sees the same
// screen; the process's exit is a notice and a close with no status.
func TestTmuxAttachDetachExit(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Token: token})
	p := dialPeer(t, s, "?token="+token, nil)
	p.text(t, `{"type":"resize","cols":80.9,"rows":24}`)
	at := p.waitFor(t, 0, "\x1b[?1049h")
	at = p.waitFor(t, at, "[lap] 0:")
	p.text(t, "stty size; echo mark-$((20+1))\r")
	at = p.waitFor(t, at, "23 80")
	p.waitFor(t, at, "mark-21")
	p.detach()
	if !waitUntil(func() bool { return s.Alive() }) {
		t.Fatal("the tmux session ended with the connection")
	}

	q := dialPeer(t, s, "?token="+token, nil)
	q.waitFor(t, 0, "mark-21") // tmux redraws the same screen
	q.text(t, `{"type":"ping"}`)
	q.text(t, `{"type":"resize","cols":"wide"}`+"\r")
	at = q.waitFor(t, 0, `{"type":"resize","cols":"wide"}`) // typed into the shell
	q.text(t, "exit 3\r")
	q.waitFor(t, at, "\r\n\x1b[2m[bridge] process exited (code=0, signal=0)\x1b[0m\r\n")
	var ce *websocket.CloseError
	if err := q.closed(t); !errors.As(err, &ce) || ce.Code != websocket.CloseNoStatusReceived {
		t.Errorf("close = %v, want 1005 (no status)", err)
	}
	if strings.Contains(q.out.String(), `"type":"ping"`) || q.binary != 0 || p.binary != 0 {
		t.Errorf("ping typed or binary frames sent (%d, %d)", p.binary, q.binary)
	}
	if s.Alive() {
		t.Error("the tmux session outlived its process")
	}

	r := dialPeer(t, s, "?token="+token, nil)
	r.text(t, "echo fresh\r")
	r.waitFor(t, 0, "fresh")
	if strings.Contains(r.out.String(), "mark-21") || s.Spawns() != 3 {
		t.Errorf("a new connection after the exit re-used the old screen (spawns %d)", s.Spawns())
	}
}

// The earlier bridge ran the command itself: its own exit code.
func TestDirectExitCode(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Token: token, Direct: true})
	p := dialPeer(t, s, "", http.Header{"Authorization": {"bearer " + token}})
	p.text(t, "exit 7\r")
	p.waitFor(t, 0, "[bridge] process exited (code=7, signal=0)")
	if err := p.closed(t); !websocket.IsCloseError(err, websocket.CloseNoStatusReceived) {
		t.Errorf("close = %v, want 1005", err)
	}
}

func TestDecodeUTF8(t *testing.T) {
	t.Parallel()
	euro := "€" // 3 bytes
	for _, tc := range []struct {
		in         string
		text, rest string
	}{
		{"ab", "ab", ""},
		{"a" + euro[:1], "a", euro[:1]},
		{"a" + euro[:2], "a", euro[:2]},
		{"a" + euro, "a" + euro, ""},
		{"a\xffb", "a\uFFFDb", ""},
	} {
		text, rest := decodeUTF8([]byte(tc.in))
		if text != tc.text || string(rest) != tc.rest || !utf8.ValidString(text) {
			t.Errorf("decodeUTF8(%q) = %q, %q; want %q, %q", tc.in, text, rest, tc.text, tc.rest)
		}
	}
}

func waitUntil(cond func() bool) bool {
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// A command that ignores SIGHUP still ends when its socket closes (and
// Close does not hang on it).
func TestDirectIgnoringHangupEnds(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Token: token, Direct: true, Command: []string{"/bin/sh", "-c", "trap '' HUP; echo ready; while :; do sleep 1; done"}})
	p := dialPeer(t, s, "?token="+token, nil)
	p.waitFor(t, 0, "ready")
	p.detach()
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Close hung on a command that ignores SIGHUP")
	}
}

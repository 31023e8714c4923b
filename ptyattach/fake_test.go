package ptyattach

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakePTY is a small WebSocket PTY endpoint speaking the protocol: it
// echoes input, reports resizes as "[size CxR]", replays everything it
// has sent on attach, and on "exit N\r" closes with 1000 and the code.
type fakePTY struct {
	t      *testing.T
	srv    *httptest.Server
	token  string
	text   bool // send output as text frames, as the hosted harness does
	status int  // refuse upgrades with this status when set

	mu      sync.Mutex
	history []byte
	conns   map[*websocket.Conn]bool
	auths   []string // "header|query" of each upgrade
	sizes   []string
	inputs  *screen
	pinged  chan struct{}
}

func newFakePTY(t *testing.T, token string) *fakePTY {
	f := &fakePTY{t: t, token: token, conns: map[*websocket.Conn]bool{}, inputs: newScreen(), pinged: make(chan struct{}, 100)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePTY) url() string {
	return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/session/ses_fake/tty"
}

var upgrader = websocket.Upgrader{}

func (f *fakePTY) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.auths = append(f.auths, r.Header.Get("Authorization")+"|"+r.URL.Query().Get("token"))
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		http.Error(w, `{"error":{"type":"conflict","message":"session is not running"}}`, status)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token || r.URL.Query().Get("token") != f.token {
		http.Error(w, "bad token", http.StatusUnauthorized)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.mu.Lock()
	f.conns[ws] = true
	replay := append([]byte(nil), f.history...)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, ws)
		f.mu.Unlock()
		ws.Close()
	}()
	if len(replay) > 0 {
		ws.WriteMessage(websocket.BinaryMessage, replay)
	}
	ws.SetPingHandler(func(data string) error {
		select {
		case f.pinged <- struct{}{}:
		default:
		}
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	var line []byte
	for {
		mt, p, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var rf struct {
			Type       string
			Cols, Rows int
		}
		if mt == websocket.TextMessage && json.Unmarshal(p, &rf) == nil && rf.Type == "resize" {
			s := fmt.Sprintf("%dx%d", rf.Cols, rf.Rows)
			f.mu.Lock()
			f.sizes = append(f.sizes, s)
			f.mu.Unlock()
			f.send(ws, "[size "+s+"]")
			continue
		}
		f.inputs.Write(p)
		f.send(ws, string(p))
		line = append(line, p...)
		if i := bytes.IndexByte(line, '\r'); i >= 0 {
			var code int
			if n, _ := fmt.Sscanf(string(line[:i]), "exit %d", &code); n == 1 {
				f.send(ws, "\r\n[process exited]\r\n")
				ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, fmt.Sprintf("process exited (code=%d)", code)))
				return
			}
			line = line[i+1:]
		}
	}
}

func (f *fakePTY) send(ws *websocket.Conn, s string) {
	f.mu.Lock()
	f.history = append(f.history, s...)
	text := f.text
	f.mu.Unlock()
	mt := websocket.BinaryMessage
	if text {
		mt = websocket.TextMessage
	}
	ws.WriteMessage(mt, []byte(s))
}

// drop cuts every connection without a close frame, as a crash would.
func (f *fakePTY) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ws := range f.conns {
		ws.UnderlyingConn().Close()
	}
}

func (f *fakePTY) setStatus(s int) {
	f.mu.Lock()
	f.status = s
	f.mu.Unlock()
}

// waitInput waits until the server has read want, and fails if it read
// anything else.
func (f *fakePTY) waitInput(t *testing.T, want string) {
	t.Helper()
	f.inputs.waitFor(t, 0, want, wait)
	if got := f.inputs.String(); got != want {
		t.Errorf("server got input %q, want %q", got, want)
	}
}

func (f *fakePTY) sizeLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sizes...)
}

// newSilentServer upgrades and then neither reads nor writes until hold
// closes: pings go unanswered.
func newSilentServer(t *testing.T, hold <-chan struct{}) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		<-hold
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/tty"
}

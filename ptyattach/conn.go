package ptyattach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"lapctl/internal/rawio"
	"lapctl/spec"
)

// dialer is shared: its buffers size the socket reads. Output arrives in
// frames of up to tens of KiB; a large read buffer keeps them to one
// syscall each.
var dialer = &websocket.Dialer{
	NetDialContext:   dialRaw,
	Proxy:            http.ProxyFromEnvironment,
	HandshakeTimeout: 15 * time.Second,
	ReadBufferSize:   64 << 10,
	WriteBufferSize:  4 << 10,
}

// dialRaw dials TCP and reads and writes the socket with raw system
// calls (internal/rawio): keystrokes cost no runtime wake-ups.
func dialRaw(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return rawio.Wrap(conn), nil
}

// HandshakeError is a refused WebSocket upgrade: 401 bad token, 404 no
// such session, 409 not running, 5xx server trouble.
type HandshakeError struct {
	StatusCode int
	Message    string
}

func (e *HandshakeError) Error() string {
	msg := fmt.Sprintf("attach refused: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		msg += " (the tty token was not accepted)"
	case http.StatusConflict:
		msg += " (the session is not running)"
	}
	return msg
}

// retryable reports whether trying again later may help.
func (e *HandshakeError) retryable() bool { return e.StatusCode >= 500 }

// WithToken turns a tty URL into ws(s) and adds ?token= (load balancers
// strip headers on upgrades, so the token goes both ways). Its errors
// never quote the URL, which may already hold a token.
func WithToken(raw, token string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("tty URL is not a URL")
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("tty URL has scheme %q: want ws:// or wss://", u.Scheme)
	}
	if token != "" {
		q := u.Query()
		q.Set("token", token)
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// redact hides a token in a URL, for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the tty URL"
	}
	if q := u.Query(); q.Has("token") {
		q.Set("token", "xxxxx")
		u.RawQuery = q.Encode()
	}
	u.User = nil
	return u.String()
}

// dial opens the socket, sending the token as a bearer header too.
func dial(ctx context.Context, rawURL, token string) (*websocket.Conn, error) {
	target, err := WithToken(rawURL, token)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	ws, resp, err := dialer.DialContext(ctx, target, h)
	if err == nil {
		return ws, nil
	}
	if resp != nil && errors.Is(err, websocket.ErrBadHandshake) {
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return nil, &HandshakeError{StatusCode: resp.StatusCode, Message: errorMessage(body)}
	}
	// The net error names host and port only, never the query.
	return nil, fmt.Errorf("connecting to %s: %w", redact(rawURL), err)
}

// errorMessage pulls the message out of an error body of the contract.
func errorMessage(body []byte) string {
	var shaped struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &shaped) == nil && len(shaped.Error) > 0 {
		var d spec.ErrorDetail
		if json.Unmarshal(shaped.Error, &d) == nil && d.Message != "" {
			return d.Message
		}
		var s string
		if json.Unmarshal(shaped.Error, &s) == nil {
			return s
		}
	}
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

var exitCodeRE = regexp.MustCompile(`code=(-?\d+)`)

// exitCodeOf reads N out of a close reason like "process exited (code=N)".
func exitCodeOf(reason string) (int, bool) {
	m := exitCodeRE.FindStringSubmatch(reason)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// link is the current connection, shared by the input, resize and output
// sides. While there is none (starting, reconnecting) keystrokes wait in
// pending, as typeahead waits in a terminal, and go out on connect.
type link struct {
	mu           sync.Mutex
	ws           *websocket.Conn
	pending      []byte
	writeTimeout time.Duration
	deadline     time.Time // the socket's write deadline, moved once a second stale
	// readOnly watches: no keys and no resizes reach the session, whose
	// size belongs to the clients that type.
	readOnly bool
}

// maxPending bounds the typeahead kept while not connected.
const maxPending = 64 << 10

// set switches to ws (nil: none).
func (l *link) set(ws *websocket.Conn) {
	l.mu.Lock()
	l.ws, l.deadline = ws, time.Time{}
	l.mu.Unlock()
}

// connect switches to ws and sends, in this order, the terminal size
// (the remote program draws for it) and the typeahead.
func (l *link) connect(ws *websocket.Conn, size Size) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ws, l.deadline = ws, time.Time{}
	if l.readOnly {
		return
	}
	if size.valid() {
		l.send(websocket.TextMessage, resizeFrame(size))
	}
	if l.ws != nil && len(l.pending) > 0 {
		l.send(websocket.BinaryMessage, l.pending)
	}
	l.pending = nil
}

// write sends one frame and reports whether there was a connection to
// send it on; without one, input is kept for the next.
func (l *link) write(mt int, p []byte) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ws == nil {
		if mt == websocket.BinaryMessage && len(l.pending)+len(p) <= maxPending {
			l.pending = append(l.pending, p...)
		}
		return false
	}
	l.send(mt, p)
	return true
}

// send must be called with mu held. A failed write closes the socket, so
// the reader sees the drop and the reconnect logic takes over.
func (l *link) send(mt int, p []byte) {
	// Moving the deadline re-arms a runtime timer: not for every key.
	if now := time.Now(); l.deadline.Sub(now) < l.writeTimeout-time.Second {
		l.deadline = now.Add(l.writeTimeout)
		l.ws.SetWriteDeadline(l.deadline)
	}
	if err := l.ws.WriteMessage(mt, p); err != nil {
		l.ws.Close()
		l.ws = nil
	}
}

// drop forgets the typeahead (the operator gave up waiting).
func (l *link) drop() {
	l.mu.Lock()
	l.pending = nil
	l.mu.Unlock()
}

func (l *link) resize(s Size) {
	if !l.readOnly {
		l.write(websocket.TextMessage, resizeFrame(s))
	}
}

func resizeFrame(s Size) []byte {
	frame, _ := json.Marshal(spec.ResizeFrame{Type: "resize", Cols: s.Cols, Rows: s.Rows})
	return frame
}

// stripToken removes a token from a URL's query, for hints to copy.
func stripToken(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Del("token")
	u.RawQuery = q.Encode()
	return u.String()
}

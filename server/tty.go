package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"

	"lapctl/spec"

	"lapctl/internal/rawio"
)

const (
	// ttyWriteTimeout bounds a write to a client (to between it and a
	// second less): a client that stops reading is cut off instead of
	// holding output for the others.
	ttyWriteTimeout = 10 * time.Second
	// ttyMaxFrame caps one output frame; pending output is sent in frames
	// of up to this size.
	ttyMaxFrame = 1 << 20
	// burstBytes of pending output mark a burst, which waits burstGather
	// to coalesce before it is sent.
	burstBytes  = 4 << 10
	burstGather = 3 * time.Millisecond
	// ttyCloseWait is how long to wait for the client's close reply.
	ttyCloseWait = 2 * time.Second
)

// handleTTY is the WebSocket PTY endpoint. Every refusal (unknown session,
// bad token, cross-site origin, session not running) is answered before
// the upgrade, and none touches the session's process.
func (s *Server) handleTTY(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	ls := s.runtime.lookup(id)
	kind, token, status := "", "", ""
	tokenOK := func() bool { return ttyTokenMatches(r, token) }
	if ls != nil {
		kind, token, status = ls.kind, ls.token, spec.SessionRunning
	} else {
		rec, err := s.store.getSession(r.Context(), id)
		if isNotFound(err) {
			return notFound("", "session %s not found: lapctl sessions list shows the sessions there are", id)
		}
		if err != nil {
			return err
		}
		kind, status = rec.Kind, rec.Status
		tokenOK = func() bool { return ttyTokenMatchesHash(r, rec.ttyTokenHash) }
	}
	if kind != spec.KindTUI {
		return conflict("session %s runs an API harness and has no terminal: send it messages (POST /session/%s/message)", id, id)
	}
	if !tokenOK() {
		return unauthorized("missing or invalid tty token: pass the session's tty_token as Authorization: Bearer <tty_token> or ?token=<tty_token>")
	}
	if !s.hosts.allowsOrigin(r) {
		return newAPIError(http.StatusForbidden, spec.ErrUnauthorized, "",
			"cross-site WebSocket upgrade refused: Origin %s is not an allowed host", r.Header.Get("Origin"))
	}
	if ls == nil {
		return conflict("session %s is not running (status %s): start a new session to get a terminal", id, status)
	}
	client, err := ls.hub.attach()
	if err != nil {
		return conflict("session %s is not running (its process has exited): start a new session to get a terminal", id)
	}
	if !s.runtime.beginConn() {
		ls.hub.detach(client)
		return conflict("the server is shutting down: no new terminals")
	}
	defer s.runtime.endConn()
	upgrader := websocket.Upgrader{
		ReadBufferSize:  32 << 10,
		WriteBufferSize: 64 << 10,
		CheckOrigin:     func(*http.Request) bool { return true }, // checked above, in the contract's error shape
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			writeJSON(w, status, spec.ErrorBody{Error: spec.ErrorDetail{Type: spec.ErrInvalidRequest,
				Message: "WebSocket upgrade failed: " + reason.Error()}})
		},
	}
	if _, ok := w.(http.Hijacker); ok {
		w = rawio.Hijacker{ResponseWriter: w}
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		ls.hub.detach(client)
		return nil // the upgrader has answered
	}
	s.serveTTY(conn, ls, client)
	return nil
}

// ttyTokenMatches accepts the session token from either place a client
// sends it: load balancers may strip the header on upgrades.
func ttyTokenMatches(r *http.Request, token string) bool {
	if token == "" {
		return false
	}
	candidates := presentedKeys(r)
	if q := r.URL.Query().Get("token"); q != "" {
		candidates = append(candidates, q)
	}
	ok := false
	for _, c := range candidates {
		if subtle.ConstantTimeCompare([]byte(c), []byte(token)) == 1 {
			ok = true
		}
	}
	return ok
}

// serveTTY runs one attached client: a writer goroutine sends output from
// the client's queue while this goroutine reads input until the socket
// closes. Closing the socket only detaches; the process goes on.
func (s *Server) serveTTY(conn *websocket.Conn, ls *liveSession, c *ttyClient) {
	conn.SetReadLimit(spec.MaxPTYInputFrame)
	c.setConn(conn)
	readerDone := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		writeTTY(conn, c, readerDone)
	}()
	go func() {
		select {
		case <-c.dropped:
			// The writer may be stuck on this client's full socket: cut the
			// write short rather than hold the goroutine and buffer for the
			// whole write timeout.
			_ = conn.UnderlyingConn().SetWriteDeadline(time.Now())
		case <-writerDone:
		}
	}()
	// One input buffer for the connection's life: a keystroke is a frame
	// of a few bytes, and ReadMessage would allocate one buffer per frame.
	in := make([]byte, 0, 512)
	for {
		mt, r, err := conn.NextReader()
		if err != nil {
			break
		}
		if in, err = readFrame(in[:0], r); err != nil {
			break
		}
		if mt == websocket.TextMessage && s.handleControlFrame(ls, in) {
			continue
		}
		if err := ls.hub.input(in); err != nil {
			s.log.Debug("tty input not written", "session", ls.id, "err", err)
		}
		if cap(in) > 64<<10 {
			in = make([]byte, 0, 512) // a big paste is over: let its buffer go
		}
	}
	close(readerDone)
	<-writerDone
	conn.Close()
	ls.hub.detach(c)
}

// writeTTY sends the client its output, everything pending at once (in
// frames of up to ttyMaxFrame), and the closing notice when the session
// ends.
func writeTTY(conn *websocket.Conn, c *ttyClient, readerDone <-chan struct{}) {
	var spare []byte
	var deadline time.Time
	flush := func() error {
		c.wmu.Lock()
		defer c.wmu.Unlock()
		if err := writeTail(conn, c, &deadline); err != nil {
			return err
		}
		out := c.take(spare)
		err := writeFrames(conn, &deadline, out)
		spare = out
		if cap(spare) > keptClientBuffer {
			// A burst is over: let its big buffer go, so a client holds
			// at most keptClientBuffer between bursts.
			spare = nil
			noteReleased(cap(out))
		}
		return err
	}
	for {
		select {
		case <-c.wake:
			if c.pendingLen() >= burstBytes {
				// A burst (a big cat, a build log): let it gather for a
				// moment, so it crosses in fewer, larger frames and costs
				// fewer syscalls on both ends. Keystroke echoes are small
				// and go at once.
				time.Sleep(burstGather)
			}
			if err := flush(); err != nil {
				conn.Close() // unblocks the reader
				return
			}
		case <-c.dropped:
			c.wmu.Lock()
			defer c.wmu.Unlock()
			closeTTY(conn, websocket.CloseTryAgainLater, "client too slow: output dropped; reattach to resume", "")
			return
		case <-c.ended:
			if err := flush(); err != nil {
				conn.Close()
				return
			}
			c.wmu.Lock()
			defer c.wmu.Unlock()
			closeTTY(conn, c.end.code, c.end.reason, c.end.notice)
			return
		case <-readerDone:
			return
		}
	}
}

// writeTail sends the rest of a frame the PTY reader could send only in
// part (the caller holds c.wmu).
func writeTail(conn *websocket.Conn, c *ttyClient, deadline *time.Time) error {
	if len(c.tail) == 0 {
		return nil
	}
	if err := moveDeadline(conn, deadline); err != nil {
		return err
	}
	_, err := conn.UnderlyingConn().Write(c.tail)
	c.tail = c.tail[:0]
	return err
}

// moveDeadline moves the write deadline only once it is a second stale.
func moveDeadline(conn *websocket.Conn, deadline *time.Time) error {
	if now := time.Now(); deadline.Sub(now) < ttyWriteTimeout-time.Second {
		*deadline = now.Add(ttyWriteTimeout)
		return conn.SetWriteDeadline(*deadline)
	}
	return nil
}

// writeFrames sends out as binary frames. The write deadline is moved
// only once it is a second stale, not per frame: a keystroke echo is a
// frame of its own, and each move re-arms a runtime timer.
func writeFrames(conn *websocket.Conn, deadline *time.Time, out []byte) error {
	for len(out) > 0 {
		n := min(len(out), ttyMaxFrame)
		if err := moveDeadline(conn, deadline); err != nil {
			return err
		}
		if err := conn.WriteMessage(websocket.BinaryMessage, out[:n]); err != nil {
			return err
		}
		out = out[n:]
	}
	return nil
}

// closeTTY sends an optional text notice and a close frame, then gives the
// client a moment to answer before the reader gives up.
func closeTTY(conn *websocket.Conn, code int, reason, notice string) {
	deadline := time.Now().Add(ttyCloseWait)
	_ = conn.SetWriteDeadline(deadline)
	if notice != "" {
		_ = conn.WriteMessage(websocket.TextMessage, []byte(notice))
	}
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, closeReason(reason)), deadline)
	_ = conn.SetReadDeadline(deadline)
}

// closeReason fits a reason into a close frame (125 bytes less the code),
// cutting at a UTF-8 boundary.
func closeReason(reason string) string {
	const maxReason = 123
	if len(reason) <= maxReason {
		return reason
	}
	cut := maxReason - len("…")
	for cut > 0 && !utf8RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// handleControlFrame handles a text frame that is exactly a JSON object
// of type resize or ping, and reports whether it did. A resize frame with
// bad sizes is dropped (and logged) rather than typed into the terminal.
func (s *Server) handleControlFrame(ls *liveSession, data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	var frame map[string]json.RawMessage
	if json.Unmarshal(t, &frame) != nil {
		return false
	}
	var typ string
	if json.Unmarshal(frame["type"], &typ) != nil {
		return false
	}
	switch typ {
	case "ping":
		return true
	case "resize":
		cols, okCols := ptySize(frame["cols"])
		rows, okRows := ptySize(frame["rows"])
		if !okCols || !okRows {
			s.log.Warn("ignoring invalid resize frame: cols and rows must be integers from 1 to 1000", "session", ls.id)
			return true
		}
		if err := ls.hub.resize(cols, rows); err != nil {
			s.log.Warn("resize failed", "session", ls.id, "err", err)
		}
		return true
	}
	return false
}

// ptySize reads a resize dimension: a plain JSON integer within bounds.
func ptySize(raw json.RawMessage) (int, bool) {
	n, err := strconv.Atoi(string(raw))
	return n, err == nil && n >= spec.MinPTYSize && n <= spec.MaxPTYSize
}

// readFrame appends one frame's payload to buf (the frame's size is
// bounded by the connection's read limit).
func readFrame(buf []byte, r io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

package ptyattach

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// prepare waits for a starting session (spinner with its phase) and picks
// the URL and token; a non-nil Result or error ends the attach early.
func (a *attacher) prepare(ctx context.Context) (url, token string, res *Result, err error) {
	url, token = a.opts.URL, a.opts.Token
	if a.opts.Client == nil || a.opts.SessionID == "" {
		return url, token, nil, nil
	}
	sess, res, err := a.waitStarted(ctx)
	if res != nil || err != nil {
		return "", "", res, err
	}
	if url == "" {
		if url, err = a.opts.Client.TTYURL(sess); err != nil {
			return "", "", nil, err
		}
	}
	if token == "" {
		token = sess.TTYToken
	}
	return url, token, nil, nil
}

// loop connects, serves the connection, and reconnects after a drop.
func (a *attacher) loop(ctx context.Context, url, token string) (*Result, error) {
	ws, err := dial(ctx, url, token)
	if err != nil {
		if res, err2 := a.refused(ctx, err); res != nil || err2 != nil {
			return res, err2
		}
		return nil, err
	}
	a.connect(ws)
	if a.st.tty && a.keys != nil {
		a.line("attached to %s; detach with %s", a.opts.target(), FormatDetachKeys(a.keys))
	}
	for {
		end := a.serve(ctx, ws)
		switch {
		case end.event != nil:
			return localEnd(*end.event)
		case ctx.Err() != nil:
			return canceled(ctx)
		case end.bridge != nil:
			// The platform harness's notice, then its close: the
			// process is gone, and a new connection would start another.
			return &Result{Exited: true, ExitCode: end.bridge.code, Reason: end.bridge.reason}, nil
		case end.closed:
			return a.closed(ctx, end.reason)
		case end.err != nil && end.local:
			return nil, fmt.Errorf("writing to the terminal: %w", end.err)
		}
		// A drop. Reconnect only to a session that is still alive.
		if res, err := a.ended(ctx); res != nil || err != nil {
			return res, err
		}
		if !a.opts.Reconnect {
			return nil, fmt.Errorf("%w: %v", ErrGaveUp, end.err)
		}
		var res *Result
		ws, res, err = a.reconnect(ctx, url, token, end.err)
		if res != nil || err != nil {
			return res, err
		}
		a.connect(ws)
		a.clearForReplay()
		a.line("reconnected to %s", a.opts.target())
	}
}

// reconnect retries with backoff, asking the server between tries whether
// the session still runs.
func (a *attacher) reconnect(ctx context.Context, url, token string, cause error) (*websocket.Conn, *Result, error) {
	last := cause
	max := a.opts.MaxReconnects
	for n := 1; n <= max; n++ {
		d := a.opts.backoff(n)
		a.line("connection lost; reconnecting (%d/%d) in %.1fs… (%s to give up)", n, max, d.Seconds(), a.giveUpKey())
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			res, err := canceled(ctx)
			return nil, res, err
		case ev := <-a.events:
			t.Stop()
			res, err := localEnd(ev)
			return nil, res, err
		case <-t.C:
		}
		if res, err := a.ended(ctx); res != nil || err != nil {
			return nil, res, err
		}
		ws, err := dial(ctx, url, token)
		if err == nil {
			return ws, nil, nil
		}
		if res, err2 := a.refused(ctx, err); res != nil || err2 != nil {
			return nil, res, err2
		}
		var he *HandshakeError
		if errors.As(err, &he) && !he.retryable() {
			return nil, nil, err
		}
		last = err
	}
	return nil, nil, fmt.Errorf("%w: gave up after %d attempts: %v", ErrGaveUp, max, last)
}

func (a *attacher) giveUpKey() string {
	if a.keys == nil {
		return "ctrl-c"
	}
	return FormatDetachKeys(a.keys) + " or ctrl-c"
}

// connEnd is why one connection's service ended.
type connEnd struct {
	event  *event // a local detach or signal
	closed bool   // the server closed normally (1000)
	reason string
	bridge *bridgeExit // the platform harness's exit notice came last
	err    error
	local  bool // err is from writing to Out
}

// connect makes ws the connection for input and resizes. The size goes
// first, as the remote program draws for it, then any typeahead.
func (a *attacher) connect(ws *websocket.Conn) {
	a.sizeMu.Lock()
	defer a.sizeMu.Unlock()
	if !a.sizeChan {
		if s, err := termSize(a.term); err == nil {
			a.size = s
		}
	}
	a.link.connect(ws, a.size)
}

// serve pumps one connection until it ends.
func (a *attacher) serve(ctx context.Context, ws *websocket.Conn) connEnd {
	var heard atomic.Int64
	heard.Store(time.Now().UnixNano())
	ws.SetPongHandler(func(string) error {
		heard.Store(time.Now().UnixNano())
		return nil
	})
	readDone := make(chan connEnd, 1)
	stop := make(chan struct{})
	var dead atomic.Pointer[string]
	go a.readOutput(ws, &heard, readDone)
	go a.keepalive(ws, &heard, &dead, stop)
	defer close(stop)

	select {
	case end := <-readDone:
		a.link.set(nil)
		ws.Close()
		if why := dead.Load(); why != nil && !end.closed {
			end.err = errors.New(*why)
		}
		return end
	case ev := <-a.events:
		a.hangUp(ws, readDone)
		return connEnd{event: &ev}
	case <-ctx.Done():
		a.hangUp(ws, readDone)
		return connEnd{err: ctx.Err()}
	}
}

// hangUp closes the socket the polite way, which the server takes as a
// detach, and waits (bounded) for the output goroutine so that nothing is
// written to Out after Attach returns.
func (a *attacher) hangUp(ws *websocket.Conn, readDone <-chan connEnd) {
	a.link.set(nil)
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "detached")
	ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	ws.Close()
	select {
	case <-readDone:
	case <-time.After(2 * time.Second):
	}
}

// readOutput copies the server's frames, text or binary, to Out.
func (a *attacher) readOutput(ws *websocket.Conn, heard *atomic.Int64, done chan<- connEnd) {
	defer a.guard()
	buf := make([]byte, 64<<10)
	out := a.output()
	var tail []byte // the output's last bytes, to spot the bridge's exit notice
	for {
		_, r, err := ws.NextReader()
		if err != nil {
			end := endOf(err)
			// Whatever the close (1005 from the platform's harness), the
			// notice right before it is the process's exit.
			end.bridge = parseBridgeExit(tail)
			done <- end
			return
		}
		heard.Store(time.Now().UnixNano())
		for {
			n, err := r.Read(buf)
			if n > 0 {
				a.modesMu.Lock()
				a.modes.scan(buf[:n])
				a.midLine = buf[n-1] != '\n'
				a.modesMu.Unlock()
				tail = keepTail(tail, buf[:n])
				if _, werr := out.Write(buf[:n]); werr != nil {
					done <- connEnd{err: werr, local: true}
					return
				}
			}
			if err != nil {
				break // io.EOF ends the frame; other errors repeat on NextReader
			}
		}
	}
}

func endOf(err error) connEnd {
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == websocket.CloseNormalClosure {
		return connEnd{closed: true, reason: ce.Text}
	}
	return connEnd{err: err}
}

// keepalive pings every PingInterval and drops the connection when nothing
// at all (pong or output) arrives within PongWait of a ping.
func (a *attacher) keepalive(ws *websocket.Conn, heard *atomic.Int64, dead *atomic.Pointer[string], stop <-chan struct{}) {
	defer a.guard()
	tick := time.NewTicker(a.opts.PingInterval)
	defer tick.Stop()
	var check <-chan time.Time
	var sent int64
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if check != nil {
				continue // the last ping's answer is still due
			}
			sent = time.Now().UnixNano()
			if err := ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout)); err != nil {
				ws.Close()
				return
			}
			check = time.After(a.opts.PongWait)
		case <-check:
			check = nil
			if heard.Load() < sent {
				why := fmt.Sprintf("no answer to a ping within %s", a.opts.PongWait)
				dead.Store(&why)
				ws.Close()
				return
			}
		}
	}
}

// keepTail appends p to tail, keeping the last bridgeTailLen bytes.
func keepTail(tail, p []byte) []byte {
	if len(p) >= bridgeTailLen {
		return append(tail[:0], p[len(p)-bridgeTailLen:]...)
	}
	tail = append(tail, p...)
	if len(tail) > bridgeTailLen {
		tail = append(tail[:0], tail[len(tail)-bridgeTailLen:]...)
	}
	return tail
}

package server

import (
	"errors"
	"net"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"lapctl/internal/rawio"
)

// A keystroke's echo is a few bytes. Handing it from the PTY reader to the
// client's writer goroutine costs a goroutine wake-up, which on a
// multi-core machine wakes a second OS thread (a futex, a spin, a sleep)
// for every key. So while a client's socket is idle, the PTY reader
// writes a small output as a WebSocket frame itself, with one
// non-blocking write; anything that cannot go at once (a full socket, a
// writer mid-burst) takes the queue as before.

// maxDirectFrame is the largest output the PTY reader sends itself; larger
// output is a burst, which the writer gathers.
const maxDirectFrame = burstBytes - 1

// setConn gives the client its socket for direct sends, and takes the
// socket's pings under the same write lock as everything else sent on it,
// so a direct send never waits for another writer.
func (c *ttyClient) setConn(conn *websocket.Conn) {
	conn.SetPingHandler(func(data string) error {
		c.wmu.Lock()
		defer c.wmu.Unlock()
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil
		}
		return err
	})
	sc, ok := conn.UnderlyingConn().(syscall.Conn)
	if !ok {
		return // not a plain socket (a test pipe): the writer sends everything
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return
	}
	c.mu.Lock()
	c.raw = raw
	c.mu.Unlock()
}

// sendNow writes p as one binary frame straight to an idle client's
// socket, and reports whether p is taken care of (sent, or its unsent
// tail left for the writer). It never blocks: false means queue p.
func (c *ttyClient) sendNow(p []byte) bool {
	if len(p) > maxDirectFrame || !c.wmu.TryLock() {
		return false
	}
	defer c.wmu.Unlock()
	c.mu.Lock()
	raw, idle := c.raw, len(c.pending) == 0
	c.mu.Unlock()
	if raw == nil || !idle || len(c.tail) > 0 {
		return false
	}
	c.frame = appendFrameHeader(c.frame[:0], len(p))
	c.frame = append(c.frame, p...)
	n, err := c.writeOnce(raw)
	if err != nil || n <= 0 {
		return false // full, or broken: the writer's own write will tell
	}
	if n < len(c.frame) {
		// Part of the frame went: the rest must go before anything else.
		c.tail = append(c.tail[:0], c.frame[n:]...)
		c.signal()
	}
	return true
}

// writeOnce is one non-blocking write of c.frame.
func (c *ttyClient) writeOnce(raw syscall.RawConn) (int, error) {
	var n int
	var werr error
	err := raw.Write(func(fd uintptr) bool {
		n, werr = rawio.Write(int(fd), c.frame)
		return true // done either way: never wait for room
	})
	if err != nil {
		return 0, err
	}
	return n, werr
}

// appendFrameHeader appends the header of an unmasked, final binary frame
// of n payload bytes (RFC 6455 §5.2; a server's frames are not masked).
func appendFrameHeader(b []byte, n int) []byte {
	const finBinary = 0x80 | websocket.BinaryMessage
	if n < 126 {
		return append(b, finBinary, byte(n))
	}
	return append(b, finBinary, 126, byte(n>>8), byte(n))
}

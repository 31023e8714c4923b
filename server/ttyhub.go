package server

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"

	"lapctl/internal/rawio"
)

// replayBytes is how much recent output a session keeps for clients that
// (re)attach.
const replayBytes = 256 << 10

// clientLagBytes is how far a client's socket may fall behind the PTY
// before the client is dropped. It rides out a burst (a big cat) on a
// healthy connection; a stalled one costs at most this much memory. A
// variable only so tests can trigger a drop with less output.
var clientLagBytes = 16 << 20

var errSessionEnded = errors.New("session ended")

// hubEnd is how a session's terminal ended, told to every attached client.
type hubEnd struct {
	notice string // a short text frame sent before closing
	code   int    // WebSocket close code
	reason string // close reason (at most 123 bytes)
}

// ttyHub fans a session's PTY output out to its attached clients and
// passes their input and resizes to the PTY. The PTY reader never waits
// on a client: each has its own bounded buffer, drained by its own writer.
type ttyHub struct {
	lagLimit int // clientLagBytes when the hub was made

	// What the PTY produced, for the session's end-of-life log line (and
	// for telling how well bursts were gathered into frames).
	outBytes, outReads atomic.Int64

	mu      sync.Mutex
	ring    *ringBuffer
	clients map[*ttyClient]struct{}
	pty     *os.File // nil until the process has started
	end     *hubEnd  // set once the session is over
}

func newTTYHub() *ttyHub {
	return &ttyHub{lagLimit: clientLagBytes, ring: newRingBuffer(replayBytes), clients: map[*ttyClient]struct{}{}}
}

// ttyClient is one attached WebSocket's view of the hub: the output not
// yet sent to it, and signals for its writer.
type ttyClient struct {
	mu       sync.Mutex
	pending  []byte
	lagLimit int

	wake    chan struct{} // has room for one signal: pending has data
	dropped chan struct{} // closed when the client fell too far behind
	ended   chan struct{} // closed when the session is over; end is set first
	end     *hubEnd

	// Direct sends (ttydirect.go). raw is set once the socket is up,
	// under mu; wmu is held by whoever writes to the socket, and guards
	// frame and tail (a direct frame's unsent rest, which goes first).
	raw   syscall.RawConn
	wmu   sync.Mutex
	frame []byte
	tail  []byte
}

func newTTYClient(lagLimit int) *ttyClient {
	return &ttyClient{lagLimit: lagLimit, wake: make(chan struct{}, 1), dropped: make(chan struct{}), ended: make(chan struct{})}
}

// offer sends p to an idle client at once, else appends it to the
// client's pending output, or reports that the client is too far behind
// to take it.
func (c *ttyClient) offer(p []byte) bool {
	if c.sendNow(p) {
		return true
	}
	c.mu.Lock()
	if len(c.pending)+len(p) > c.lagLimit {
		c.mu.Unlock()
		return false
	}
	c.pending = append(c.pending, p...)
	c.mu.Unlock()
	c.signal()
	return true
}

// signal wakes the client's writer.
func (c *ttyClient) signal() {
	select {
	case c.wake <- struct{}{}:
	default: // a wake-up is already waiting
	}
}

// pendingLen is how much output waits for the writer.
func (c *ttyClient) pendingLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// take hands the pending output to the writer, leaving spare (emptied)
// in its place, so two buffers alternate without allocating.
func (c *ttyClient) take(spare []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.pending
	c.pending = spare[:0]
	return out
}

// attach registers a client and queues the replay of recent output for it,
// under one lock so the client sees every byte exactly once.
func (h *ttyHub) attach() (*ttyClient, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.end != nil {
		return nil, errSessionEnded
	}
	c := newTTYClient(max(h.lagLimit, replayBytes))
	c.offer(h.ring.Bytes()) // the replay always fits a fresh client
	h.clients[c] = struct{}{}
	return c, nil
}

func (h *ttyHub) detach(c *ttyClient) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// broadcast records output and queues a copy for every client, dropping
// any that cannot take it.
func (h *ttyHub) broadcast(p []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.end != nil {
		return
	}
	h.ring.Write(p)
	for c := range h.clients {
		if !c.offer(p) {
			delete(h.clients, c)
			close(c.dropped)
		}
	}
}

// finish ends the terminal: clients get their queued output, then the
// notice and the close.
func (h *ttyHub) finish(end hubEnd) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.end != nil {
		return
	}
	h.end = &end
	for c := range h.clients {
		c.end = h.end
		close(c.ended)
	}
	h.clients = nil
	h.pty = nil
}

func (h *ttyHub) setPTY(f *os.File) {
	h.mu.Lock()
	h.pty = f
	h.mu.Unlock()
}

func (h *ttyHub) currentPTY() *os.File {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pty
}

// input writes keystrokes to the PTY; before the process starts (or after
// it ended) there is nothing to type into, and they are dropped.
func (h *ttyHub) input(p []byte) error {
	f := h.currentPTY()
	if f == nil {
		return nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	return rawio.WriteAll(rc, p)
}

// resize sets the PTY's window size; the kernel signals SIGWINCH to the
// foreground process.
func (h *ttyHub) resize(cols, rows int) error {
	f := h.currentPTY()
	if f == nil {
		return nil
	}
	return setWinsize(f, cols, rows)
}

// pump copies PTY output to the clients until the PTY reports the other
// side closed (EIO) or is closed itself.
//
// It waits for output through Go's poller (the master is non-blocking)
// holding no buffer: one is taken from a pool only once the PTY is
// readable, and given back after the broadcast, so an idle session costs
// a parked goroutine and no read buffer.
func (h *ttyHub) pump(f *os.File) {
	raw, err := f.SyscallConn()
	if err != nil {
		return
	}
	var buf *[]byte
	var n int
	var readErr error
	// Made once: a closure per read would be an allocation per keystroke.
	read := func(fd uintptr) bool {
		if buf == nil {
			buf = readBufs.Get().(*[]byte)
		}
		n, readErr = rawio.Read(int(fd), *buf)
		if readErr == unix.EAGAIN {
			readBufs.Put(buf)
			buf = nil
			return false // park until readable
		}
		return true
	}
	for {
		n, readErr = 0, nil
		err := raw.Read(read)
		if n > 0 {
			h.outBytes.Add(int64(n))
			h.outReads.Add(1)
			h.broadcast((*buf)[:n])
		}
		if buf != nil {
			readBufs.Put(buf)
			buf = nil
		}
		if err != nil || readErr != nil || n <= 0 {
			return // closed, EIO once no process holds the terminal, or EOF
		}
	}
}

// ptyReadSize is one PTY read: large, so a burst crosses in few reads.
const ptyReadSize = 64 << 10

var readBufs = sync.Pool{New: func() any {
	b := make([]byte, ptyReadSize)
	return &b
}}

// setWinsize is pty.Setsize without File.Fd, which would switch the file
// back to blocking mode and lose its read deadlines and unblocking Close.
func setWinsize(f *os.File, cols, rows int) error {
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ioctlErr error
	err = raw.Control(func(fd uintptr) {
		ioctlErr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Row: uint16(rows), Col: uint16(cols)})
	})
	if err != nil {
		return err
	}
	return ioctlErr
}

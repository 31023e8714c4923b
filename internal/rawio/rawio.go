// Package rawio makes the terminal path's reads and writes on
// non-blocking descriptors (a PTY, a socket, a reopened terminal) as raw
// system calls behind Go's poller.
//
// Such calls never block, so they need none of the runtime's syscall
// bookkeeping, whose first call after an idle moment wakes the runtime's
// monitor thread: a futex, a sleep and two context switches per keystroke
// on each side of an attach. Waiting for readiness, and deadlines, still
// go through the poller (syscall.RawConn).
//
// It is a leaf: it imports nothing of lapctl.
package rawio

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Read is one read(2) on a non-blocking descriptor.
func Read(fd int, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(n), nil
	}
}

// Write is one write(2) on a non-blocking descriptor.
func Write(fd int, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(n), nil
	}
}

// WriteAll writes p to a pollable descriptor, waiting in the poller (and
// under its deadline) while it is full.
func WriteAll(rc syscall.RawConn, p []byte) error {
	var werr error
	err := rc.Write(func(fd uintptr) bool {
		for len(p) > 0 {
			n, err := Write(int(fd), p)
			if err == unix.EAGAIN {
				return false
			}
			if err != nil {
				werr = err
				return true
			}
			p = p[n:]
		}
		return true
	})
	if err != nil {
		return err
	}
	return werr
}

// Socket is a TCP connection whose Read and Write are raw system calls
// behind the poller; the WebSocket library reads and writes through it.
type Socket struct {
	net.Conn
	rc syscall.RawConn
}

func (c *Socket) Read(p []byte) (int, error) {
	var n int
	var rerr error
	err := c.rc.Read(func(fd uintptr) bool {
		n, rerr = Read(int(fd), p)
		return rerr != unix.EAGAIN
	})
	switch {
	case err != nil:
		return 0, err
	case rerr != nil:
		return 0, &net.OpError{Op: "read", Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: rerr}
	case n == 0 && len(p) > 0:
		return 0, io.EOF
	}
	return n, nil
}

func (c *Socket) Write(p []byte) (int, error) {
	if err := WriteAll(c.rc, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// SyscallConn gives the socket itself, for writes made beside Write.
func (c *Socket) SyscallConn() (syscall.RawConn, error) { return c.rc, nil }

// Hijacker hands a WebSocket upgrade a Socket when the connection
// is a plain socket (anything else is passed through as it is).
type Hijacker struct{ http.ResponseWriter }

func (w Hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := w.ResponseWriter.(http.Hijacker).Hijack()
	if err != nil {
		return conn, brw, err
	}
	return Wrap(conn), brw, nil
}

// Wrap returns conn as a Socket when it is a plain TCP connection, else
// conn itself.
func Wrap(conn net.Conn) net.Conn {
	if tcp, ok := conn.(*net.TCPConn); ok {
		if rc, err := tcp.SyscallConn(); err == nil {
			return &Socket{Conn: tcp, rc: rc}
		}
	}
	return conn
}

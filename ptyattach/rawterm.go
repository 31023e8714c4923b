package ptyattach

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/muesli/cancelreader"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"lapctl/internal/rawio"
)

// The local terminal is read and written on a file description of our
// own (the terminal opened again through /proc/self/fd), non-blocking and
// in Go's poller, with raw system calls (internal/rawio). The shell's
// description stays blocking, even if attach is killed. A read deadline
// cancels a waiting Read without consuming a byte.
//
// The alternative, cancelreader, waits in a blocking epoll_wait, and
// ordinary file writes are system calls the runtime accounts for: both
// keep the runtime's monitor thread waking on every keystroke.

// polledTerminal is the local terminal reopened.
type polledTerminal struct {
	f  *os.File
	rc syscall.RawConn
}

// reopenTerminal reopens x (stdin or stdout) when it is a terminal on
// Linux; ok is false otherwise (another system, a pipe, an SSH channel).
func reopenTerminal(x any, flag int) (*polledTerminal, bool) {
	f, isFile := x.(*os.File)
	if !isFile || runtime.GOOS != "linux" || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	own, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", f.Fd()), flag|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, false
	}
	rc, err := own.SyscallConn()
	if err != nil || own.SetDeadline(time.Time{}) != nil { // not in the poller after all
		own.Close()
		return nil, false
	}
	return &polledTerminal{f: own, rc: rc}, true
}

func (p *polledTerminal) Read(b []byte) (int, error) {
	var n int
	var rerr error
	err := p.rc.Read(func(fd uintptr) bool {
		n, rerr = rawio.Read(int(fd), b)
		return rerr != unix.EAGAIN
	})
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return 0, cancelreader.ErrCanceled
	case err != nil:
		return 0, err
	case rerr != nil:
		return 0, &os.PathError{Op: "read", Path: p.f.Name(), Err: rerr}
	case n == 0 && len(b) > 0:
		return 0, io.EOF
	}
	return n, nil
}

func (p *polledTerminal) Write(b []byte) (int, error) {
	if err := rawio.WriteAll(p.rc, b); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Cancel wakes a waiting Read, which returns ErrCanceled.
func (p *polledTerminal) Cancel() bool { return p.f.SetReadDeadline(time.Unix(1, 0)) == nil }

func (p *polledTerminal) Close() error { return p.f.Close() }

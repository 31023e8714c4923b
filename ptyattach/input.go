package ptyattach

import (
	"errors"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/muesli/cancelreader"
)

// inputReader reads the local input in its own goroutine and can stop it
// without consuming a byte more: after a detach inside the console, the
// console's next keystroke must reach the console, not a stale Read.
//
// A terminal on Linux is read through Go's poller (rawterm.go); any other
// terminal or pipe (*os.File) through cancelreader, which waits with
// epoll/kqueue/select and can be woken. Any other reader (an SSH
// channel without an allocated PTY) cannot be interrupted: its goroutine
// stays in Read until the next byte, which is then dropped.
type inputReader struct {
	cr   cancelreader.CancelReader
	done chan struct{}
}

// startInput reads r in a goroutine, calling handle with each chunk (the
// buffer is reused after handle returns) and, unless stopped, eof once at
// the end, with nil on io.EOF.
func startInput(r io.Reader, handle func([]byte), eof func(error), guard func()) *inputReader {
	var cr cancelreader.CancelReader
	if t, ok := reopenTerminal(r, os.O_RDONLY); ok {
		cr = t
	} else if c, err := cancelreader.NewReader(r); err == nil {
		cr = c
	} else {
		// A regular file cannot be polled; it never blocks for long.
		cr = &plainReader{r: r}
	}
	in := &inputReader{cr: cr, done: make(chan struct{})}
	go func() {
		defer close(in.done)
		defer guard()
		buf := make([]byte, 32<<10)
		for {
			n, err := cr.Read(buf)
			if n > 0 {
				handle(buf[:n])
			}
			if err != nil {
				if errors.Is(err, cancelreader.ErrCanceled) {
					return // stopped by us: nothing ended
				}
				if errors.Is(err, io.EOF) {
					err = nil
				}
				eof(err)
				return
			}
		}
	}()
	return in
}

// stop cancels the read and waits for the goroutine, at most wait when the
// reader cannot be interrupted.
func (in *inputReader) stop(wait time.Duration) {
	interrupted := in.cr.Cancel()
	if interrupted {
		<-in.done
	} else {
		select {
		case <-in.done:
		case <-time.After(wait):
		}
	}
	in.cr.Close()
}

// plainReader is a CancelReader that cannot interrupt a Read in progress.
type plainReader struct {
	r        io.Reader
	canceled atomic.Bool
}

func (p *plainReader) Read(b []byte) (int, error) {
	if p.canceled.Load() {
		return 0, cancelreader.ErrCanceled
	}
	return p.r.Read(b)
}

func (p *plainReader) Cancel() bool { p.canceled.Store(true); return false }
func (p *plainReader) Close() error { return nil }

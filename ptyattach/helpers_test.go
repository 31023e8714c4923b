package ptyattach

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// screen collects what a reader produces and waits for text in it.
type screen struct {
	mu   sync.Mutex
	cond *sync.Cond
	buf  bytes.Buffer
	err  error
}

func newScreen() *screen {
	s := &screen{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	s.cond.Broadcast()
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// mark returns the current length, so waitFor can look only past it.
func (s *screen) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Len()
}

// waitFor waits until text appears after offset from, failing the test
// after d; it returns the offset just past the match.
func (s *screen) waitFor(t *testing.T, from int, text string, d time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(d)
	timer := time.AfterFunc(d, func() { s.mu.Lock(); s.cond.Broadcast(); s.mu.Unlock() })
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if from <= s.buf.Len() {
			if i := strings.Index(s.buf.String()[from:], text); i >= 0 {
				return from + i + len(text)
			}
		}
		if time.Now().After(deadline) || s.err != nil {
			t.Fatalf("did not see %q within %s (err %v); got:\n%q", text, d, s.err, tail(s.buf.String()[min(from, s.buf.Len()):], 2000))
		}
		s.cond.Wait()
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// localTerm is a pty pair playing the operator's terminal: the attach
// uses tty as In and Out; the test types on and reads from master.
type localTerm struct {
	master, tty *os.File
	screen      *screen
	before      *unix.Termios
	readDone    chan struct{}
}

func newLocalTerm(t *testing.T) *localTerm {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty.Open: %v", err)
	}
	if err := pty.Setsize(master, &pty.Winsize{Cols: 80, Rows: 24}); err != nil {
		t.Fatal(err)
	}
	lt := &localTerm{master: master, tty: tty, screen: newScreen(), readDone: make(chan struct{})}
	lt.before = lt.termios(t)
	go func() {
		defer close(lt.readDone)
		buf := make([]byte, 32<<10)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				lt.screen.Write(buf[:n])
			}
			if err != nil {
				lt.screen.mu.Lock()
				lt.screen.err = err
				lt.screen.cond.Broadcast()
				lt.screen.mu.Unlock()
				return
			}
		}
	}()
	t.Cleanup(func() {
		tty.Close()
		master.Close()
		<-lt.readDone
	})
	return lt
}

func (lt *localTerm) termios(t *testing.T) *unix.Termios {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(lt.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatalf("TCGETS: %v", err)
	}
	return tio
}

// checkRestored fails unless the tty's mode is what it was at the start.
func (lt *localTerm) checkRestored(t *testing.T) {
	t.Helper()
	if got := lt.termios(t); *got != *lt.before {
		t.Errorf("terminal mode not restored:\n got %+v\nwant %+v", *got, *lt.before)
	}
}

func (lt *localTerm) typeText(t *testing.T, s string) {
	t.Helper()
	if _, err := lt.master.Write([]byte(s)); err != nil {
		t.Fatalf("typing: %v", err)
	}
}

// attachRun is an Attach running in the background.
type attachRun struct {
	done chan struct{}
	res  *Result
	err  error
}

// startAttach runs Attach in the background; if the test ends first
// (failed), the attach is cancelled before the terminal is closed.
func startAttach(t *testing.T, ctx context.Context, opts Options) *attachRun {
	ctx, cancel := context.WithCancel(ctx)
	r := &attachRun{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.res, r.err = Attach(ctx, opts)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

func (r *attachRun) wait(t *testing.T, d time.Duration) (*Result, error) {
	t.Helper()
	select {
	case <-r.done:
		return r.res, r.err
	case <-time.After(d):
		t.Fatalf("attach did not return within %s", d)
		return nil, nil
	}
}

// waitRemoteSize asks the remote shell for its size until it reports
// want ("rows cols"), and returns the screen offset past the answer. The
// resize and the keys travel apart, and tmux passes a resize on in its own
// time, so the bound is time: a loaded machine answers each ask in
// milliseconds but can take far longer to pass the resize on.
func (lt *localTerm) waitRemoteSize(t *testing.T, at int, want string) int {
	t.Helper()
	deadline := time.Now().Add(wait)
	for i := 0; ; i++ {
		lt.typeText(t, fmt.Sprintf("stty size; echo size-%d-$((1+1))\r", i))
		next := lt.screen.waitFor(t, at, fmt.Sprintf("size-%d-2", i), wait)
		if strings.Contains(lt.screen.String()[at:next], want) {
			return next
		}
		if time.Now().After(deadline) {
			t.Fatalf("the remote terminal never took the size %q in %s (%d asks)", want, wait, i+1)
		}
		at = next
		time.Sleep(20 * time.Millisecond)
	}
}

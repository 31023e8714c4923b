// Package testutil holds the small helpers many packages' tests share.
// Only tests import it; it depends on the standard library alone, so any
// package's tests can use it without an import cycle.
package testutil

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// SyncBuffer is a bytes.Buffer safe for a writer goroutine (a server's
// log, a session's output) and the test reading it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FreeAddr is a loopback address nothing listens on: a port for a server
// a test starts as a process, or one to find closed.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Eventually polls cond every 20ms and reports whether it held within d.
// Output from another goroutine or process comes with no event to wait
// on, so tests poll it.
func Eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// WaitFor fails the test unless text() contains want within 15 seconds.
func WaitFor(t testing.TB, want string, text func() string) {
	t.Helper()
	if !Eventually(15*time.Second, func() bool { return strings.Contains(text(), want) }) {
		t.Fatalf("never saw %q in:\n%s", want, text())
	}
}

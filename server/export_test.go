package server

import (
	"context"
	"errors"
	"time"
)

// HoldWriter takes the store's one writer connection until release is
// called, so every write queues behind it as under heavy load.
func HoldWriter(s *Server) (release func(), err error) {
	conn, err := s.store.w.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	return func() { _ = conn.Close() }, nil
}

// SetClientLagBytes changes how far a terminal client may fall behind
// before it is dropped, for sessions started afterwards, and returns a
// func that restores the default. Tests use it to drop a stalled client
// without flooding tens of megabytes.
func SetClientLagBytes(n int) (restore func()) {
	old := clientLagBytes
	clientLagBytes = n
	return func() { clientLagBytes = old }
}

// PTYReads is how many reads session id's PTY output has taken so far.
func PTYReads(s *Server, id string) int64 {
	return s.runtime.lookup(id).hub.outReads.Load()
}

// BurstGather and BurstBytes: how a burst of output is gathered.
const (
	BurstGather = burstGather
	BurstBytes  = burstBytes
)

// BreakSandbox makes s's sandbox report reason as why it cannot be set
// up, as on a host without bubblewrap or namespaces.
func BreakSandbox(s *Server, reason string) {
	sb := s.runtime.sandbox
	sb.once.Do(func() {})
	sb.err = errors.New(reason)
}

// SandboxProbe runs the real check that bubblewrap works on this host.
func SandboxProbe() error { return newSandbox(false, "/nonexistent").probe() }

// SetBodyReadTimeout changes how long a request body may take to arrive
// and returns a func that restores it.
func SetBodyReadTimeout(d time.Duration) (restore func()) {
	old := bodyReadTimeout
	bodyReadTimeout = d
	return func() { bodyReadTimeout = old }
}

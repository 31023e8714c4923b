package sshserve

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
)

// Why a session was ended from the server side; each is told to the user.
var (
	errIdle     = errors.New("idle")
	errShutdown = errors.New("the server is shutting down")
)

// liveSession is an admitted SSH session as the middleware chain passes it
// down: the session itself, who it is, and what the server needs to end it
// (its context) and report it (exit status).
type liveSession struct {
	ssh.Session
	id          Identity
	env         environ
	started     time.Time
	interactive bool   // the console: ended at once by a shutdown
	admitted    bool   // counted in Server.live (guarded by Server.mu)
	refused     string // why it was not admitted, for the log

	// ctx is the session's life: done when the client leaves, or when
	// cancel is called with errIdle or errShutdown.
	ctx    context.Context
	cancel context.CancelCauseFunc

	lastActive atomic.Int64 // unix nanoseconds of the last activity

	mu     sync.Mutex
	code   int
	exited bool
}

func newLiveSession(s ssh.Session, id Identity) *liveSession {
	ctx, cancel := context.WithCancelCause(s.Context())
	ls := &liveSession{
		Session: s,
		id:      id,
		env:     filterEnv(s.Environ()),
		started: time.Now(),
		ctx:     ctx,
		cancel:  cancel,
	}
	ls.touch()
	return ls
}

// Exit records the status for the log, then sends it; wish.Fatal and the
// handlers below all end sessions through it.
func (ls *liveSession) Exit(code int) error {
	ls.mu.Lock()
	if ls.exited {
		ls.mu.Unlock()
		return errors.New("session already exited")
	}
	ls.code, ls.exited = code, true
	ls.mu.Unlock()
	return ls.Session.Exit(code)
}

// setCode records the status Exit will send when the chain returns.
func (ls *liveSession) setCode(code int) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if !ls.exited {
		ls.code = code
	}
}

// finish sends the recorded status unless a handler already did.
func (ls *liveSession) finish() int {
	ls.mu.Lock()
	code, exited := ls.code, ls.exited
	ls.mu.Unlock()
	if !exited {
		_ = ls.Exit(code)
	}
	return code
}

func (ls *liveSession) touch() { ls.lastActive.Store(time.Now().UnixNano()) }

// watchIdle cancels the session once nothing happened for d. It sleeps
// until the earliest moment the session could be idle, so it costs one
// timer, not a ticker.
func (ls *liveSession) watchIdle(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-ls.ctx.Done():
			return
		case <-t.C:
			quiet := time.Since(time.Unix(0, ls.lastActive.Load()))
			if quiet >= d {
				ls.cancel(errIdle)
				return
			}
			t.Reset(d - quiet)
		}
	}
}

// endReason names why the session ended, for the log.
func (ls *liveSession) endReason() string {
	switch cause := context.Cause(ls.ctx); {
	case ls.refused != "":
		return ls.refused
	case errors.Is(cause, errIdle):
		return "idle"
	case errors.Is(cause, errShutdown):
		return "shutdown"
	case ls.Context().Err() != nil:
		return "disconnected"
	}
	return "done"
}

// notice is what the user is told when the server ended the session; ""
// when it ended on its own.
func (ls *liveSession) notice(idle time.Duration) string {
	switch cause := context.Cause(ls.ctx); {
	case errors.Is(cause, errIdle):
		return fmt.Sprintf("lapctl ssh-serve: no activity for %s; closing the session.", idle)
	case errors.Is(cause, errShutdown):
		return "lapctl ssh-serve: the server is shutting down; closing the session. Reconnect when it is back."
	}
	return ""
}

// commandName is what the log may show of a command: its leading words up
// to the first flag or argument that looks like data, never values, which
// may be secrets (--env KEY=value).
func commandName(args []string) string {
	var words []string
	for _, a := range args {
		if len(words) == 3 || strings.HasPrefix(a, "-") || strings.ContainsAny(a, "=/:@") {
			break
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

// Environ is the client's environment filtered to what a session may see
// (passEnv), so nothing built on the session (wish's program options
// among them) reads the rest.
func (ls *liveSession) Environ() []string { return ls.env.Environ() }

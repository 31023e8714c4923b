package server

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"lapctl/spec"
)

// stopGrace is how long a stopping session's process gets after each of
// SIGHUP and SIGTERM before the next, harder signal.
const stopGrace = 2 * time.Second

// sessionRuntime owns the live sessions: their start-up, processes,
// terminals and ends. Records of ended sessions live only in the store.
type sessionRuntime struct {
	store       *store
	harnesses   *harnessRegistry
	log         *slog.Logger
	dataDir     string
	installReqs bool
	sandbox     *sandbox
	egress      *egressProxy

	mu       sync.Mutex
	sessions map[string]*liveSession
	closed   bool
	work     sync.WaitGroup // session runners and attached terminals
}

func newSessionRuntime(st *store, h *harnessRegistry, log *slog.Logger, dataDir string, installReqs bool) *sessionRuntime {
	return &sessionRuntime{store: st, harnesses: h, log: log, dataDir: dataDir, installReqs: installReqs,
		sessions: map[string]*liveSession{}}
}

// liveSession is a session whose process (or, for API harnesses, whose
// readiness to run messages) belongs to this server run.
type liveSession struct {
	id, agentID, harness, kind, token string
	dir                               string // <data-dir>/sessions/<id>
	ctx                               context.Context
	cancel                            context.CancelFunc
	hub                               *ttyHub // TUI sessions only
	plan                              startPlan
	egressSock                        string // set before ready; fixed after
	ctlSock                           string // an API session's command socket; likewise

	recordMu sync.Mutex // orders state writes; taken before mu, never under it
	mu       sync.Mutex
	state    sessionState
	proc     *os.Process
	stopping string         // why the session is being stopped; "" until then
	egress   *sessionEgress // the egress proxy's listener; nil under --no-sandbox
	forgot   bool           // forget ran: a listener opened late is closed at once
	holder   *exec.Cmd      // an API session's long-lived sandbox

	exited   chan struct{} // closed once the PTY process is reaped
	ready    chan struct{} // closed once start-up finished, well or not
	finished chan struct{} // closed when the runner goroutine returns
	msgMu    sync.Mutex    // an API session runs one message at a time
}

func (ls *liveSession) workDir() string { return filepath.Join(ls.dir, "work") }
func (ls *liveSession) homeDir() string { return filepath.Join(ls.dir, "home") }

// currentState returns a copy of the session's state.
func (ls *liveSession) currentState() sessionState {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.state
}

// update changes the session's state and records it. recordMu keeps
// concurrent updates landing in the order they happen; ls.mu is held only
// for the change itself, never across the SQLite write, which may wait
// for the writer behind other requests (stop, currentState and the
// terminal endpoint take ls.mu and must not queue behind the store).
func (rt *sessionRuntime) update(ls *liveSession, change func(st *sessionState)) {
	ls.recordMu.Lock()
	defer ls.recordMu.Unlock()
	ls.mu.Lock()
	change(&ls.state)
	st := ls.state
	ls.mu.Unlock()
	if err := rt.store.setSessionState(context.Background(), ls.id, st); err != nil {
		rt.log.Error("recording session state", "session", ls.id, "err", err)
	}
}

func (rt *sessionRuntime) setPhase(ls *liveSession, phase string) {
	rt.update(ls, func(st *sessionState) { st.Phase = phase })
}

// fail ends a session that could not start, saying why and what to do,
// or records that it was stopped before it could.
func (rt *sessionRuntime) fail(ls *liveSession, reason string) {
	ls.mu.Lock()
	stopping := ls.stopping
	ls.mu.Unlock()
	end := hubEnd{code: 1011, reason: "session failed: " + reason, notice: "\r\n[lapctl] session failed: " + reason + "\r\n"}
	if stopping != "" {
		rt.markEnded(ls, stopping)
		end = hubEnd{code: 1000, reason: stopping, notice: "\r\n[lapctl] " + stopping + "\r\n"}
	} else {
		rt.log.Warn("session failed", "session", ls.id, "reason", reason)
		rt.update(ls, func(st *sessionState) {
			st.Status, st.Phase, st.FailureReason = spec.SessionError, spec.PhaseFailed, reason
		})
	}
	if ls.hub != nil {
		ls.hub.finish(end)
	}
}

// markEnded records a live session as exited, keeping an exit code the
// process already reported.
func (rt *sessionRuntime) markEnded(ls *liveSession, reason string) {
	rt.update(ls, func(st *sessionState) {
		if st.Status == spec.SessionExited || st.Status == spec.SessionError {
			return
		}
		st.Status, st.Phase = spec.SessionExited, spec.PhaseExited
		if reason != "" {
			st.FailureReason = reason
		}
	})
}

func (rt *sessionRuntime) lookup(id string) *liveSession {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.sessions[id]
}

// forget drops a session from the live set once it has ended.
func (rt *sessionRuntime) forget(ls *liveSession) {
	rt.mu.Lock()
	if rt.sessions[ls.id] == ls {
		delete(rt.sessions, ls.id)
	}
	ls.mu.Lock()
	eg, holder := ls.egress, ls.holder
	ls.egress, ls.holder, ls.forgot = nil, nil, true
	ls.mu.Unlock()
	endHolder(holder)
	if eg != nil {
		eg.close()
	}
	rt.mu.Unlock()
}

// liveCount is an agent's session_count: its sessions still live here.
func (rt *sessionRuntime) liveCount(agentID string) int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	n := 0
	for _, ls := range rt.sessions {
		if ls.agentID == agentID {
			n++
		}
	}
	return n
}

// beginConn registers an attached terminal so shutdown waits for it; it
// fails once shutdown has begun.
func (rt *sessionRuntime) beginConn() bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.closed {
		return false
	}
	rt.work.Add(1)
	return true
}

func (rt *sessionRuntime) endConn() { rt.work.Done() }

// stop ends a live session: its start-up is cancelled and its process
// group gets SIGHUP, then SIGTERM, then SIGKILL, with waits between. It
// returns once the session has ended or ctx is done.
func (rt *sessionRuntime) stop(ctx context.Context, ls *liveSession, reason string) {
	ls.mu.Lock()
	if ls.stopping == "" {
		ls.stopping = reason
	}
	proc := ls.proc
	ls.mu.Unlock()
	ls.cancel()
	if proc != nil {
		terminateGroup(ctx, proc.Pid, ls.exited)
	}
	select {
	case <-ls.finished:
	case <-ctx.Done():
	}
	rt.markEnded(ls, reason)
	rt.forget(ls)
}

// terminateGroup signals a process group harder and harder until its
// leader has exited (exited is closed) or ctx is done. SIGHUP is repeated
// during its grace period: a shell that is still starting up (bash, in
// its first milliseconds) drops the first one.
func terminateGroup(ctx context.Context, pgid int, exited <-chan struct{}) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGKILL} {
		if err := syscall.Kill(-pgid, sig); errors.Is(err, syscall.ESRCH) {
			return
		}
		grace := time.NewTimer(stopGrace)
		resend := time.NewTicker(100 * time.Millisecond)
		for waiting := true; waiting; {
			select {
			case <-exited:
				grace.Stop()
				resend.Stop()
				return
			case <-ctx.Done():
				_ = syscall.Kill(-pgid, syscall.SIGKILL) // out of time: no more grace
				grace.Stop()
				resend.Stop()
				return
			case <-resend.C:
				if sig == syscall.SIGHUP {
					_ = syscall.Kill(-pgid, sig)
				}
			case <-grace.C:
				waiting = false
			}
		}
		resend.Stop()
	}
}

// deleteSession stops a session if it is live, then removes its record
// and its directory. Unknown ids are fine: DELETE is idempotent.
func (rt *sessionRuntime) deleteSession(ctx context.Context, id string) (existed bool, err error) {
	ls := rt.lookup(id)
	if ls != nil {
		rt.stop(ctx, ls, "stopped: session deleted")
	}
	removed, err := rt.store.deleteSession(ctx, id)
	if err != nil {
		return false, err
	}
	rt.removeDir(id)
	return removed || ls != nil, nil
}

// stopAgentSessions ends every live session of a deleted agent; their
// records went with the agent.
func (rt *sessionRuntime) stopAgentSessions(ctx context.Context, agentID string) {
	var mine []*liveSession
	rt.mu.Lock()
	for _, ls := range rt.sessions {
		if ls.agentID == agentID {
			mine = append(mine, ls)
		}
	}
	rt.mu.Unlock()
	var wg sync.WaitGroup
	for _, ls := range mine {
		wg.Go(func() {
			rt.stop(ctx, ls, "stopped: agent deleted")
			rt.removeDir(ls.id)
		})
	}
	wg.Wait()
	// Its ended sessions' directories too: their records went with it.
	rt.sweepSessionDirs(context.WithoutCancel(ctx))
}

// removeDir deletes a session's directory; its files may hold secrets.
func (rt *sessionRuntime) removeDir(id string) {
	if !strings.HasPrefix(id, prefixSession) || strings.ContainsAny(id, `/\.`) {
		return // never let an id from a URL name another directory
	}
	if err := os.RemoveAll(filepath.Join(rt.dataDir, "sessions", id)); err != nil {
		rt.log.Warn("removing session dir", "session", id, "err", err)
	}
}

// shutdown refuses new sessions and terminals, stops every live session
// at once, and waits for runners and terminals to finish.
func (rt *sessionRuntime) shutdown(ctx context.Context) error {
	rt.mu.Lock()
	rt.closed = true
	all := make([]*liveSession, 0, len(rt.sessions))
	for _, ls := range rt.sessions {
		all = append(all, ls)
	}
	rt.mu.Unlock()
	var wg sync.WaitGroup
	for _, ls := range all {
		wg.Go(func() { rt.stop(ctx, ls, "stopped: server shut down") })
	}
	wg.Wait()
	done := make(chan struct{})
	go func() {
		rt.work.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return errors.New("shutdown timed out waiting for sessions to end")
	}
}

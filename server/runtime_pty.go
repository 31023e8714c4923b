package server

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"lapctl/spec"
)

// ptyDrainWait is how long after the process exits its remaining output
// may take to arrive; past it, whatever still holds the terminal is killed.
const ptyDrainWait = 2 * time.Second

// runPTY starts a TUI session's command on a new PTY, streams its output
// to the hub until it exits, and records how it ended.
func (rt *sessionRuntime) runPTY(ls *liveSession) {
	argv, notice := rt.harnesses.tuiCommand(ls.harness)
	notice = joinNotice(ls.currentState().Notice, notice)
	run := rt.sandbox.wrap(ls, argv)
	cmd := exec.Command(run[0], run[1:]...)
	cmd.Dir, cmd.Env = ls.workDir(), ls.plan.env
	cmd.SysProcAttr = rt.sandbox.ptyAttr()

	// Under ls.mu, so stop either sees the process or sees no start: it
	// cancels the context before taking the lock.
	ls.mu.Lock()
	if ls.ctx.Err() != nil {
		ls.mu.Unlock()
		close(ls.ready)
		rt.fail(ls, "stopped during start-up")
		rt.forget(ls)
		return
	}
	ls.mu.Unlock()
	rt.setPhase(ls, spec.PhaseStartingProcess)
	ls.mu.Lock()
	ptmx, pidfd, err := startOnPTY(cmd, 80, 24)
	if err == nil {
		ls.proc = cmd.Process
	}
	stopping := ls.ctx.Err() != nil
	ls.mu.Unlock()
	if err != nil {
		close(ls.ready)
		rt.fail(ls, fmt.Sprintf("cannot start %q: %v — check the command mapped with --harness-cmd %s", argv[0], err, ls.harness))
		rt.forget(ls)
		return
	}
	if stopping {
		// stop ran between the check and the start and saw no process.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	pid := cmd.Process.Pid
	rt.log.Info("session process started", "session", ls.id, "pid", pid, "command", argv[0])
	if notice != "" {
		ls.hub.broadcast([]byte(notice + "\r\n"))
	}
	ls.hub.setPTY(ptmx)
	rt.update(ls, func(st *sessionState) {
		st.Status, st.Phase, st.Notice = spec.SessionRunning, spec.PhaseReady, notice
	})
	close(ls.ready)

	pumped := make(chan struct{})
	go func() {
		defer close(pumped)
		ls.hub.pump(ptmx)
	}()
	_ = awaitExit(cmd, pidfd) // the exit status is read from ProcessState
	close(ls.exited)
	code := exitCode(cmd.ProcessState)

	// Output written just before the exit is still in the PTY: let the
	// pump drain it (it ends at EIO once no process holds the terminal).
	// A background child keeping the terminal open is killed with its group.
	select {
	case <-pumped:
	case <-time.After(ptyDrainWait):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		select {
		case <-pumped:
		case <-time.After(ptyDrainWait):
		}
	}
	ptmx.Close()
	<-pumped

	ls.mu.Lock()
	reason := ls.stopping
	ls.mu.Unlock()
	rt.update(ls, func(st *sessionState) {
		st.Status, st.Phase, st.ExitCode = spec.SessionExited, spec.PhaseExited, &code
		if reason != "" {
			st.FailureReason = reason
		}
	})
	exitMsg := fmt.Sprintf("process exited (code=%d)", code)
	ls.hub.finish(hubEnd{code: 1000, reason: exitMsg, notice: "\r\n[lapctl] " + exitMsg + "\r\n"})
	rt.log.Info("session process exited", "session", ls.id, "code", code,
		"output_bytes", ls.hub.outBytes.Load(), "output_reads", ls.hub.outReads.Load())
	rt.forget(ls)
}

// startOnPTY starts cmd as the leader of a new session whose controlling
// terminal is a new PTY, and returns the PTY's master side and the
// process's pidfd (-1 when the kernel gives none), for awaitExit.
//
// The master is made non-blocking and handed to Go's poller, unlike
// pty.Start's: a blocked Read can then be ended by Close, so a session
// never leaks its reader when a stray child keeps the terminal open.
func startOnPTY(cmd *exec.Cmd, cols, rows int) (*os.File, int, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, -1, err
	}
	defer tty.Close() // the child has its own copy once started
	// F_DUPFD_CLOEXEC: a child forked meanwhile must not inherit the master.
	fd, err := unix.FcntlInt(master.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	master.Close()
	if err != nil {
		return nil, -1, err
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, -1, err
	}
	ptmx := os.NewFile(uintptr(fd), "/dev/ptmx")
	if err := setWinsize(ptmx, cols, rows); err != nil {
		ptmx.Close()
		return nil, -1, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	pidfd := -1
	if cmd.SysProcAttr == nil { // a sandboxed command takes the terminal inside its sandbox
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	}
	cmd.SysProcAttr.PidFD = &pidfd
	if err := cmd.Start(); err != nil {
		ptmx.Close()
		return nil, -1, err
	}
	return ptmx, pidfd, nil
}

// exitCode is the process's exit status, or 128+signal when a signal
// ended it (the shell convention).
func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

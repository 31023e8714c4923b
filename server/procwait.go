package server

import (
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

// awaitExit waits for cmd's process to exit and reaps it, parking the
// calling goroutine rather than an OS thread: exec.Cmd.Wait blocks in
// waitid, holding a thread per session for the session's whole life
// (1,000 sessions, 1,000 threads). The process's pidfd (asked for at
// start) becomes readable when it exits; Go's poller watches it like a
// socket, and Wait then only collects a process that is already gone.
// Without a pidfd (old kernels), it is plain Wait.
func awaitExit(cmd *exec.Cmd, pidfd int) error {
	if pidfd >= 0 {
		waitReadable(pidfd)
	}
	return cmd.Wait()
}

// waitReadable parks until fd is readable, then closes it. Any failure
// (a descriptor the poller refuses) just returns: Wait still works.
func waitReadable(fd int) {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	defer f.Close()
	raw, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Read(func(fd uintptr) bool {
		// Checked on every wake-up: readable means exited.
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 0)
		return n > 0 || (err != nil && err != unix.EINTR)
	})
}

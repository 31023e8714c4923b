package server

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"syscall"
	"time"
)

const (
	// maxStdout caps what one harness message may return.
	maxStdout = 16 << 20
	// stderrTailBytes is how much of a failing command's stderr we keep.
	stderrTailBytes = 4 << 10
	// commandWaitDelay is how long a cancelled command gets after SIGTERM
	// before it is killed and its pipes closed.
	commandWaitDelay = 3 * time.Second
)

// commandSpec is one non-interactive command of a session.
type commandSpec struct {
	dir   string
	env   []string
	stdin io.Reader
	name  string
	args  []string
}

type commandResult struct {
	stdout     []byte
	truncated  bool // stdout passed maxStdout
	stderrTail string
	exitCode   int
}

// runCommand runs a command in its own process group, so cancelling ctx
// (session stopped, client gone) ends it and everything it started.
func runCommand(ctx context.Context, c commandSpec) (commandResult, error) {
	cmd := exec.CommandContext(ctx, c.name, c.args...)
	cmd.Dir, cmd.Env, cmd.Stdin = c.dir, c.env, c.stdin
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = commandWaitDelay
	stdout := &cappedBuffer{max: maxStdout}
	stderr := &tailBuffer{max: stderrTailBytes}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	res := commandResult{stdout: stdout.buf.Bytes(), truncated: stdout.truncated, stderrTail: stderr.String(), exitCode: -1}
	if cmd.ProcessState != nil {
		res.exitCode = cmd.ProcessState.ExitCode()
		if ctx.Err() != nil {
			// The group leader is gone; anything it left behind goes too.
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
	return res, err
}

// cappedBuffer keeps the first max bytes written and drops the rest
// (still reporting success, so the command is not killed by EPIPE).
type cappedBuffer struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.max - b.buf.Len()
	if len(p) > room {
		b.truncated = true
		b.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.buf.Write(p)
}

// tailBuffer keeps the last max bytes written: the end of stderr is where
// the error is.
type tailBuffer struct {
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string { return string(b.buf) }

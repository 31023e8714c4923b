package server

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// An API session runs one command per message. Creating a network
// namespace costs tens of milliseconds, so instead of a bwrap per message
// each sandboxed API session keeps one sandbox for its life, whose init
// serves a Unix socket (bound in under sandboxCtlDir): the server sends a
// command, the init runs it and streams its output back. This file is
// both ends of that socket.

const sandboxCtlDir = sandboxRun + "/ctl"

// execRequest is one command to run inside the sandbox.
type execRequest struct {
	Argv  []string `json:"argv"`
	Env   []string `json:"env"`
	Dir   string   `json:"dir"`
	Stdin string   `json:"stdin"`
}

// Frames the init sends back: a kind byte, a 4-byte length, the data.
const (
	frameStdout = 'o'
	frameStderr = 'e'
	frameExit   = 'x' // data: the exit code as a 4-byte signed integer
)

func writeFrame(w io.Writer, kind byte, data []byte) error {
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(data)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

// serveExec is the init's side: run each request, stream its output, and
// end the command's process group when the server hangs up (the message
// was cancelled or the session stopped).
func serveExec(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go runExec(c)
	}
}

func runExec(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	var req execRequest
	if err := json.NewDecoder(io.LimitReader(br, 64<<20)).Decode(&req); err != nil || len(req.Argv) == 0 {
		return
	}
	out := &frameWriter{w: c}
	// Each command is its own process group, so stopping one never hits
	// the init.
	cmd := exec.Command(req.Argv[0], req.Argv[1:]...)
	cmd.Env, cmd.Dir = req.Env, req.Dir
	cmd.Stdin = strings.NewReader(req.Stdin)
	cmd.Stdout, cmd.Stderr = out.stream(frameStdout), out.stream(frameStderr)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = out.frame(frameStderr, []byte(err.Error()))
		_ = out.exit(127)
		return
	}
	// The server closing its side means: stop. SIGTERM, then SIGKILL.
	hangup := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, br)
		close(hangup)
	}()
	waited := make(chan struct{})
	go func() {
		select {
		case <-hangup:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-waited:
			case <-time.After(commandWaitDelay):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			}
		case <-waited:
		}
	}()
	err := cmd.Wait()
	close(waited)
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what it left behind
	_ = out.exit(waitCode(cmd.ProcessState, err))
}

func waitCode(ps *os.ProcessState, err error) int {
	if ps == nil {
		return 127
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	if err != nil && ps.ExitCode() < 0 {
		return 1
	}
	return ps.ExitCode()
}

// frameWriter serializes the frames of stdout, stderr and the exit.
type frameWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (f *frameWriter) frame(kind byte, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return writeFrame(f.w, kind, data)
}

func (f *frameWriter) exit(code int) error {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(int32(code)))
	return f.frame(frameExit, b[:])
}

type frameStream struct {
	f    *frameWriter
	kind byte
}

func (s frameStream) Write(p []byte) (int, error) {
	if err := s.f.frame(s.kind, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (f *frameWriter) stream(kind byte) io.Writer { return frameStream{f: f, kind: kind} }

// errExit is a sandboxed command's non-zero exit, for runCommand's callers.
type errExit int

func (e errExit) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// execInSandbox is the server's side: it runs c through the session's
// sandbox at sock and gathers the result as runCommand does.
func execInSandbox(done <-chan struct{}, sock string, c commandSpec) (commandResult, error) {
	res := commandResult{exitCode: -1}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		return res, fmt.Errorf("the session's sandbox is gone: %w", err)
	}
	defer conn.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-done:
			_ = conn.(*net.UnixConn).CloseWrite() // the init's signal to stop the command
		case <-stop:
		}
	}()
	var stdin []byte
	if c.stdin != nil {
		if stdin, err = io.ReadAll(c.stdin); err != nil {
			return res, err
		}
	}
	req := execRequest{Argv: append([]string{c.name}, c.args...), Env: c.env, Dir: c.dir, Stdin: string(stdin)}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return res, err
	}
	stdout := &cappedBuffer{max: maxStdout}
	stderr := &tailBuffer{max: stderrTailBytes}
	br := bufio.NewReader(conn)
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			res.stdout, res.truncated, res.stderrTail = stdout.buf.Bytes(), stdout.truncated, stderr.String()
			return res, errors.New("the session's sandbox ended while the command ran")
		}
		data := make([]byte, binary.BigEndian.Uint32(hdr[1:]))
		if _, err := io.ReadFull(br, data); err != nil {
			return res, errors.New("the session's sandbox ended while the command ran")
		}
		switch hdr[0] {
		case frameStdout:
			_, _ = stdout.Write(data)
		case frameStderr:
			_, _ = stderr.Write(data)
		case frameExit:
			res.stdout, res.truncated, res.stderrTail = stdout.buf.Bytes(), stdout.truncated, stderr.String()
			res.exitCode = int(int32(binary.BigEndian.Uint32(data)))
			if res.exitCode != 0 {
				return res, errExit(res.exitCode)
			}
			return res, nil
		}
	}
}

package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// sandboxInitName is the name the server's own binary runs under inside a
// sandbox (bound at sandboxInitPath). The sandbox has no network, so this
// small init listens on 127.0.0.1 inside it, forwards each connection to
// the session's egress socket (the server's proxy), and runs the harness
// command as its child. Re-executing this binary keeps the sandbox free of
// any helper that would have to be installed.
const sandboxInitName = "lapctl-sandbox-init"

// Every binary that links the server (lapctl, and the tests of any
// package that starts one) can be that init: it is chosen by argv[0],
// which only the sandbox sets, before main or any test runs.
func init() {
	if filepath.Base(os.Args[0]) == sandboxInitName {
		os.Exit(sandboxInit(os.Args[1:]))
	}
}

// sandboxInit is `lapctl-sandbox-init LISTEN SOCKET -- COMMAND...`.
func sandboxInit(args []string) int {
	if len(args) == 4 && args[2] == "--serve" {
		return serveCommands(args[0], args[1], args[3])
	}
	if len(args) < 4 || args[2] != "--" {
		fmt.Fprintln(os.Stderr, "lapctl-sandbox-init: usage: lapctl-sandbox-init LISTEN SOCKET -- COMMAND...")
		return 2
	}
	listen, sock, argv := args[0], args[1], args[3:]
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lapctl sandbox: cannot serve the egress proxy on %s: %v\n", listen, err)
		return 126
	}
	go forwardAll(ln, sock)
	if err := takeTerminal(); err != nil {
		fmt.Fprintf(os.Stderr, "lapctl sandbox: cannot take the terminal: %v\n", err)
		return 126
	}

	// Signals for the session (SIGHUP on stop, Ctrl-C on the terminal)
	// reach the command directly: it shares this process group. This init
	// outlives it to report its exit status. Caught, not ignored: an
	// ignored signal would stay ignored in the command after exec.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM)
	go func() {
		for range sigs {
		}
	}()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "lapctl sandbox: cannot start %s: %v\n", argv[0], err)
		return 127
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

// takeTerminal makes this init the session leader owning the terminal on
// stdin, inside the sandbox's pid namespace: a shell then hands the
// terminal back to a process group it can see when it exits.
func takeTerminal() error {
	if _, err := unix.IoctlGetTermios(0, unix.TCGETS); err != nil {
		return nil // not a terminal: an API message's pipes
	}
	// bwrap --new-session has made this process a session leader already.
	if _, err := unix.Setsid(); err != nil && !errors.Is(err, unix.EPERM) {
		return err
	}
	return unix.IoctlSetInt(0, unix.TIOCSCTTY, 0)
}

// serveCommands is an API session's init: the proxy forwarder plus the
// command socket (sandbox_exec.go), until the session is stopped.
func serveCommands(listen, sock, ctl string) int {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lapctl sandbox: cannot serve the egress proxy on %s: %v\n", listen, err)
		return 126
	}
	go forwardAll(ln, sock)
	cl, err := net.Listen("unix", ctl)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lapctl sandbox: cannot open the command socket: %v\n", err)
		return 126
	}
	serveExec(cl)
	return 0
}

func forwardAll(ln net.Listener, sock string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("unix", sock)
			if err != nil {
				return
			}
			defer up.Close()
			pipe(c, up)
		}()
	}
}

// pipe copies both ways until both directions are done, passing on each
// half-close so request/response protocols end cleanly.
func pipe(a, b net.Conn) {
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if cw, ok := dst.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
		done <- struct{}{}
	}
	go cp(a, b)
	go cp(b, a)
	<-done
	<-done
}

package ptyattach

import (
	"context"
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"lapctl/internal/apitest"
	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestE2EShell(t *testing.T) {
	inst := shellServer(t)
	c := apitest.NewClient(t, inst.URL, inst.Key)
	sess := startShellSession(t, c)
	ctx := context.Background()

	lt := newLocalTerm(t)
	opts := Options{
		Client: c, SessionID: sess.ID,
		In: lt.tty, Out: lt.tty, ErrOut: lt.tty,
		Reconnect: true, ReconnectDelay: 10 * time.Millisecond,
	}
	run := startAttach(t, ctx, opts)
	at := lt.screen.waitFor(t, 0, "attached to "+sess.ID+"; detach with ctrl-]", wait)

	// Type and read the echo: the command line, then its output.
	lt.typeText(t, "echo out-$((40+2))\r")
	at = lt.screen.waitFor(t, at, "out-42", wait)

	// Resize the local terminal and see the remote one follow.
	if err := pty.Setsize(lt.master, &pty.Winsize{Cols: 132, Rows: 50}); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGWINCH)
	at = lt.waitRemoteSize(t, at, "50 132")

	// The detach key twice goes through (cat -v shows it), and Ctrl-D is
	// the remote program's EOF, not a detach.
	lt.typeText(t, "cat -v\r")
	lt.typeText(t, "x\x1d\x1dy\r")
	at = lt.screen.waitFor(t, at, "x^]y", wait)
	lt.typeText(t, "\x04")
	lt.typeText(t, "echo cat-done-$((2+3))\r")
	at = lt.screen.waitFor(t, at, "cat-done-5", wait)

	// Detach: the process goes on.
	lt.typeText(t, "\x1d")
	res, err := run.wait(t, wait)
	if err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", res, err)
	}
	lt.screen.waitFor(t, at, "detached from "+sess.ID+"; reattach with: lapctl attach "+sess.ID, wait)
	lt.checkRestored(t)
	got, err := c.GetSession(ctx, sess.ID)
	if err != nil || got.Status != spec.SessionRunning {
		t.Fatalf("after detach: session %+v, %v; want running", got, err)
	}

	// Reattach with a custom sequence: the replay rebuilds the screen.
	mark := lt.screen.mark()
	opts.DetachKeys = "ctrl-p,ctrl-q"
	run = startAttach(t, ctx, opts)
	lt.screen.waitFor(t, mark, "detach with ctrl-p,ctrl-q", wait)
	at = lt.screen.waitFor(t, mark, "out-42", wait)
	lt.typeText(t, "echo again-$((3+4))\r")
	lt.screen.waitFor(t, at, "again-7", wait)
	lt.typeText(t, "\x10\x11")
	if res, err := run.wait(t, wait); err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", res, err)
	}
	lt.checkRestored(t)
	if got, _ := c.GetSession(ctx, sess.ID); got.Status != spec.SessionRunning {
		t.Fatalf("after detach: status %s, want running", got.Status)
	}

	// The process exits: its code comes back.
	mark = lt.screen.mark()
	run = startAttach(t, ctx, opts)
	lt.screen.waitFor(t, mark, "attached to", wait)
	lt.typeText(t, "exit 7\r")
	res, err = run.wait(t, wait)
	if err != nil || !res.Exited || res.ExitCode != 7 {
		t.Fatalf("Attach = %+v, %v; want exit code 7", res, err)
	}
	lt.screen.waitFor(t, mark, sess.ID+" exited: process exited (code=7)", wait)
	lt.checkRestored(t)

	// Attaching to the exited session says so, with the code.
	res, err = Attach(ctx, opts)
	if err != nil || !res.Exited || res.ExitCode != 7 {
		t.Fatalf("attach to exited session = %+v, %v; want exit code 7", res, err)
	}
	lt.checkRestored(t)
}

// A dropped connection (no close frame) reconnects to the same session,
// and the server's replay repaints.
func TestE2EReconnect(t *testing.T) {
	ps := newProxiedShell(t)
	p, lt, sess := ps.p, ps.lt, ps.sess
	ps.opts.ReconnectDelay = 10 * time.Millisecond
	run := startAttach(t, context.Background(), ps.opts)
	at := lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "echo one-$((0+1))\r")
	at = lt.screen.waitFor(t, at, "one-1", wait)

	p.cut()
	at = lt.screen.waitFor(t, at, "connection lost; reconnecting (1/6)", wait)
	at = lt.screen.waitFor(t, at, "reconnected to "+sess.ID, wait)
	at = lt.screen.waitFor(t, at, "one-1", wait) // replayed
	lt.typeText(t, "echo two-$((1+1))\r")
	lt.screen.waitFor(t, at, "two-2", wait)
	lt.typeText(t, "exit 0\r")
	res, err := run.wait(t, wait)
	if err != nil || !res.Exited || res.ExitCode != 0 {
		t.Fatalf("Attach = %+v, %v; want exit 0", res, err)
	}
	lt.checkRestored(t)
}

// The server dies mid-attach without a close (the network goes first) and
// a new server comes up on the same data: the attach reconnects, learns
// the session ended with its server, and says so.
func TestE2EServerRestart(t *testing.T) {
	ps := newProxiedShell(t)
	inst, p, lt, sess := ps.inst, ps.p, ps.lt, ps.sess
	ps.opts.ReconnectDelay = 50 * time.Millisecond
	ps.opts.MaxReconnects = 8
	run := startAttach(t, context.Background(), ps.opts)
	at := lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "echo up-$((5+5))\r")
	at = lt.screen.waitFor(t, at, "up-10", wait)

	p.refuse.Store(true)
	p.cut()
	inst.Close()
	at = lt.screen.waitFor(t, at, "connection lost; reconnecting (1/8)", wait)
	second := shellServer(t, servertest.WithDataDir(inst.DataDir))
	p.target.Store(hostOf(second.URL))
	p.refuse.Store(false)

	res, err := run.wait(t, 30*time.Second)
	if err != nil || !res.Exited {
		t.Fatalf("Attach = %+v, %v; want the session's end", res, err)
	}
	lt.screen.waitFor(t, at, sess.ID+" exited: ", wait)
	lt.checkRestored(t)
}

// With the server gone for good the attach gives up after its attempts,
// with the terminal restored and a hint to reattach.
func TestE2EServerGoneGivesUp(t *testing.T) {
	ps := newProxiedShell(t)
	p, lt, sess := ps.p, ps.lt, ps.sess
	ps.opts.ReconnectDelay = 10 * time.Millisecond
	ps.opts.MaxReconnects = 3
	run := startAttach(t, context.Background(), ps.opts)
	lt.screen.waitFor(t, 0, "attached to", wait)
	p.refuse.Store(true)
	p.cut()
	res, err := run.wait(t, 30*time.Second)
	if !errors.Is(err, ErrGaveUp) || res != nil {
		t.Fatalf("Attach = %+v, %v; want ErrGaveUp", res, err)
	}
	lt.screen.waitFor(t, 0, "reconnecting (3/3)", wait)
	lt.screen.waitFor(t, 0, "reattach later with: lapctl attach "+sess.ID, wait)
	lt.checkRestored(t)
}

// A server shut down mid-attach ends the session's process and closes the
// socket properly: the attach reports the exit and returns its code.
func TestE2EServerShutdown(t *testing.T) {
	inst := shellServer(t)
	c := apitest.NewClient(t, inst.URL, inst.Key)
	sess := startShellSession(t, c)
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), Options{
		Client: c, SessionID: sess.ID, In: lt.tty, Out: lt.tty, ErrOut: lt.tty, Reconnect: true,
	})
	lt.screen.waitFor(t, 0, "attached to", wait)
	inst.Close()
	res, err := run.wait(t, 30*time.Second)
	if err != nil || !res.Exited || !strings.Contains(res.Reason, "exited") {
		t.Fatalf("Attach = %+v, %v; want exited", res, err)
	}
	lt.checkRestored(t)
}

// --url mode: no client, the tty URL and token straight.
func TestE2EURLMode(t *testing.T) {
	inst := shellServer(t)
	c := apitest.NewClient(t, inst.URL, inst.Key)
	sess := startShellSession(t, c)
	url, err := c.TTYURL(sess)
	if err != nil {
		t.Fatal(err)
	}
	// Without a client, attach cannot wait for the start, and the server
	// drops keys typed before the process runs.
	apitest.WaitRunning(t, c, sess.ID)
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), Options{URL: url, Token: sess.TTYToken, In: lt.tty, Out: lt.tty, ErrOut: lt.tty})
	at := lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "echo url-$((6*7))\rexit 3\r")
	lt.screen.waitFor(t, at, "url-42", wait)
	res, err := run.wait(t, wait)
	if err != nil || res.ExitCode != 3 {
		t.Fatalf("Attach = %+v, %v; want exit 3", res, err)
	}
	if strings.Contains(lt.screen.String(), sess.TTYToken) {
		t.Error("the token was printed")
	}
	lt.checkRestored(t)
}

// A session that fails while starting: the phase shows as plain lines
// (no terminal here), then the failure reason comes back as the error.
func TestE2EStartFailure(t *testing.T) {
	inst := shellServer(t)
	c := apitest.NewClient(t, inst.URL, inst.Key)
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "broken", OwnerID: "tester", Harness: "claude-code",
		RepoURL: "https://127.0.0.1:1/nowhere.git"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	defer inW.Close()
	errOut := newScreen()
	res, err := Attach(ctx, Options{Client: c, SessionID: sess.ID, In: inR, Out: io.Discard, ErrOut: errOut,
		PollInterval: 10 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "git clone") || res != nil {
		t.Fatalf("Attach = %+v, %v; want the clone failure", res, err)
	}
	errOut.waitFor(t, 0, "starting "+sess.ID+": ", wait)
	if strings.Contains(errOut.String(), "\x1b[") || strings.Contains(errOut.String(), "\r") {
		t.Errorf("spinner escapes on a non-terminal: %q", errOut.String())
	}
}

package ptyattach

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

const wait = 10 * time.Second

// fastOpts are Options for tests: the pty pair as the terminal, short
// timers.
func fastOpts(lt *localTerm, url string) Options {
	return Options{
		URL:            url,
		Token:          "tok",
		SessionID:      "ses_fake",
		In:             lt.tty,
		Out:            lt.tty,
		ErrOut:         lt.tty,
		Reconnect:      true,
		ReconnectDelay: 10 * time.Millisecond,
		MaxReconnects:  3,
	}
}

func TestAttachEchoResizeDetach(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), fastOpts(lt, f.url()))

	at := lt.screen.waitFor(t, 0, "attached to ses_fake; detach with ctrl-]", wait)
	at = lt.screen.waitFor(t, at, "[size 80x24]", wait)
	lt.typeText(t, "hello")
	at = lt.screen.waitFor(t, at, "hello", wait)

	// A resize of the local terminal, signalled as the kernel would.
	if err := pty.Setsize(lt.master, &pty.Winsize{Cols: 100, Rows: 30}); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGWINCH)
	at = lt.screen.waitFor(t, at, "[size 100x30]", wait)

	lt.typeText(t, "\x1d")
	res, err := run.wait(t, wait)
	if err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", res, err)
	}
	lt.screen.waitFor(t, at, "detached from ses_fake; reattach with: lapctl attach ses_fake", wait)
	lt.checkRestored(t)
	f.waitInput(t, "hello")
	if f.auths[0] != "Bearer tok|tok" {
		t.Errorf("token sent as %q, want header and query", f.auths[0])
	}
	if strings.Contains(lt.screen.String(), "tok&") || strings.Contains(lt.screen.String(), "=tok") {
		t.Errorf("the token was printed: %q", lt.screen.String())
	}
}

func TestAttachDetachKeysPassThrough(t *testing.T) {
	tests := []struct {
		keys, typed, sent string
	}{
		{"", "a\x1d\x1db\x1d", "a\x1db"},
		{"ctrl-p,ctrl-q", "a\x10\x10b\x10x\x10\x11", "a\x10b\x10x"},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			f := newFakePTY(t, "tok")
			lt := newLocalTerm(t)
			opts := fastOpts(lt, f.url())
			opts.DetachKeys = tt.keys
			run := startAttach(t, context.Background(), opts)
			lt.screen.waitFor(t, 0, "attached to", wait)
			lt.typeText(t, tt.typed)
			res, err := run.wait(t, wait)
			if err != nil || !res.Detached {
				t.Fatalf("Attach = %+v, %v; want detached", res, err)
			}
			lt.checkRestored(t)
			f.waitInput(t, tt.sent)
		})
	}
}

func TestAttachExitCode(t *testing.T) {
	f := newFakePTY(t, "tok")
	f.mu.Lock()
	f.text = true // the hosted harness sends text frames
	f.mu.Unlock()
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), fastOpts(lt, f.url()))
	lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "exit 3\r")
	res, err := run.wait(t, wait)
	if err != nil || !res.Exited || res.ExitCode != 3 || res.Reason != "process exited (code=3)" {
		t.Fatalf("Attach = %+v, %v; want exited with 3", res, err)
	}
	lt.screen.waitFor(t, 0, "[process exited]", wait)
	lt.screen.waitFor(t, 0, "ses_fake exited: process exited (code=3)", wait)
	lt.checkRestored(t)
}

func TestAttachReconnectReplays(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), fastOpts(lt, f.url()))
	at := lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "before-drop")
	at = lt.screen.waitFor(t, at, "before-drop", wait)

	f.drop()
	at = lt.screen.waitFor(t, at, "connection lost; reconnecting (1/3) in 0.0s…", wait)
	at = lt.screen.waitFor(t, at, "\x1b[H\x1b[2J", wait) // cleared, so the replay is drawn once
	at = lt.screen.waitFor(t, at, "reconnected to ses_fake", wait)
	at = lt.screen.waitFor(t, at, "before-drop", wait) // the replay
	lt.typeText(t, "after\r")
	at = lt.screen.waitFor(t, at, "after", wait)
	lt.typeText(t, "exit 0\r")
	lt.screen.waitFor(t, at, "[process exited]", wait)
	res, err := run.wait(t, wait)
	if err != nil || !res.Exited || res.ExitCode != 0 {
		t.Fatalf("Attach = %+v, %v; want exited 0", res, err)
	}
	lt.checkRestored(t)
}

func TestAttachGivesUp(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	opts := fastOpts(lt, f.url())
	opts.MaxReconnects = 2
	run := startAttach(t, context.Background(), opts)
	lt.screen.waitFor(t, 0, "[size 80x24]", wait) // the server has the connection
	f.setStatus(http.StatusServiceUnavailable)
	f.drop()
	res, err := run.wait(t, wait)
	if !errors.Is(err, ErrGaveUp) || res != nil {
		t.Fatalf("Attach = %+v, %v; want ErrGaveUp", res, err)
	}
	lt.screen.waitFor(t, 0, "reconnecting (2/2)", wait)
	lt.screen.waitFor(t, 0, "reattach later with: lapctl attach ses_fake", wait)
	lt.checkRestored(t)
}

func TestAttachNoReconnect(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	opts := fastOpts(lt, f.url())
	opts.Reconnect = false
	run := startAttach(t, context.Background(), opts)
	lt.screen.waitFor(t, 0, "[size 80x24]", wait)
	f.drop()
	if _, err := run.wait(t, wait); !errors.Is(err, ErrGaveUp) {
		t.Fatalf("err = %v, want ErrGaveUp", err)
	}
	lt.checkRestored(t)
}

func TestAttachRefused(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	opts := fastOpts(lt, f.url())
	opts.Token = "wrong"
	res, err := Attach(context.Background(), opts)
	var he *HandshakeError
	if !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized || res != nil {
		t.Fatalf("Attach = %+v, %v; want a 401 HandshakeError", res, err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error shows the token: %v", err)
	}
	lt.checkRestored(t)
}

func TestAttachPingTimeout(t *testing.T) {
	// A server that upgrades and then never reads, so never answers pings.
	hold := make(chan struct{})
	defer close(hold)
	srv := newSilentServer(t, hold)
	lt := newLocalTerm(t)
	opts := fastOpts(lt, srv)
	opts.Reconnect = false
	opts.PingInterval, opts.PongWait = 20*time.Millisecond, 20*time.Millisecond
	_, err := Attach(context.Background(), opts)
	if !errors.Is(err, ErrGaveUp) || !strings.Contains(err.Error(), "no answer to a ping") {
		t.Fatalf("err = %v, want a ping timeout", err)
	}
	lt.checkRestored(t)
}

func TestAttachPingKeepsAlive(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	opts := fastOpts(lt, f.url())
	opts.Reconnect = false
	opts.PingInterval, opts.PongWait = 5*time.Millisecond, 100*time.Millisecond
	run := startAttach(t, context.Background(), opts)
	lt.screen.waitFor(t, 0, "attached to", wait)
	// No output flows: only the pongs keep the connection.
	for range 5 {
		select {
		case <-f.pinged:
		case <-time.After(wait):
			t.Fatal("no pings")
		}
	}
	lt.typeText(t, "exit 0\r")
	if res, err := run.wait(t, wait); err != nil || !res.Exited {
		t.Fatalf("Attach = %+v, %v; want a clean exit", res, err)
	}
}

func TestAttachSignalRestores(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), fastOpts(lt, f.url()))
	// The handler is installed before the connection, so once attached a
	// SIGTERM reaches Attach and not the default action.
	lt.screen.waitFor(t, 0, "attached to", wait)
	syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	res, err := run.wait(t, wait)
	var se *SignalError
	if !errors.As(err, &se) || se.ExitCode() != 143 || res != nil {
		t.Fatalf("Attach = %+v, %v; want a SIGTERM SignalError", res, err)
	}
	lt.checkRestored(t)
}

func TestAttachContextCancel(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	ctx, cancel := context.WithCancel(context.Background())
	run := startAttach(t, ctx, fastOpts(lt, f.url()))
	lt.screen.waitFor(t, 0, "attached to", wait)
	cancel()
	res, err := run.wait(t, wait)
	if !errors.Is(err, context.Canceled) || res == nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want canceled", res, err)
	}
	lt.checkRestored(t)
}

// After a detach the next keystroke belongs to whoever reads the terminal
// next (the console): Attach must leave no reader behind.
func TestAttachLeavesStdinAlone(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), fastOpts(lt, f.url()))
	lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "\x1dq") // detach at once: another key ends the grace
	if res, err := run.wait(t, wait); err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v", res, err)
	}
	lt.checkRestored(t)
	lt.typeText(t, "z\n")
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 16)
		n, _ := lt.tty.Read(b)
		got <- string(b[:n])
	}()
	select {
	case s := <-got:
		if s != "z\n" {
			t.Errorf("the console read %q, want %q", s, "z\n")
		}
	case <-time.After(wait):
		t.Fatal("the keystroke after detach was swallowed")
	}
}

// fakeTerm is an injected Terminal, as the SSH server passes.
type fakeTerm struct {
	raws, restores atomic.Int32
}

func (ft *fakeTerm) MakeRaw() (func() error, error) {
	ft.raws.Add(1)
	return func() error { ft.restores.Add(1); return nil }, nil
}
func (ft *fakeTerm) Size() (Size, error) { return Size{Cols: 0, Rows: 0}, nil }

func TestAttachInjectedTerminal(t *testing.T) {
	f := newFakePTY(t, "tok")
	inR, inW := io.Pipe()
	out := newScreen()
	ft := &fakeTerm{}
	sizes := make(chan Size, 4)
	sizes <- Size{Cols: 0, Rows: 0} // ignored: never 0×0
	sizes <- Size{Cols: 120, Rows: 40}
	run := startAttach(t, context.Background(), Options{
		URL: f.url(), Token: "tok", In: inR, Out: out, ErrOut: out,
		Term: ft, Resize: sizes, NoSignals: true,
	})
	at := out.waitFor(t, 0, "[size 120x40]", wait)
	sizes <- Size{Cols: 2000, Rows: 50}
	at = out.waitFor(t, at, "[size 1000x50]", wait)
	inW.Write([]byte("ssh\x1d"))
	res, err := run.wait(t, wait)
	if err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v", res, err)
	}
	out.waitFor(t, 0, "ssh", wait)
	if ft.raws.Load() != 1 || ft.restores.Load() != 1 {
		t.Errorf("MakeRaw %d times, restore %d times; want 1 and 1", ft.raws.Load(), ft.restores.Load())
	}
	if slices.Contains(f.sizeLog(), "0x0") {
		t.Errorf("sent a 0x0 size: %v", f.sizeLog())
	}
	out.waitFor(t, at, "ssh\ndetached from", wait)
	inW.Close()
}

// Over SSH, the client leaving ends the input: that detaches.
func TestAttachInputEndDetaches(t *testing.T) {
	f := newFakePTY(t, "tok")
	inR, inW := io.Pipe()
	out := newScreen()
	run := startAttach(t, context.Background(), Options{
		URL: f.url(), Token: "tok", In: inR, Out: out, ErrOut: out, Term: &fakeTerm{}, NoSignals: true,
	})
	out.waitFor(t, 0, "attached to", wait)
	inW.Close()
	if res, err := run.wait(t, wait); err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", res, err)
	}
}

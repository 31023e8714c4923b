package sessions

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/server/servertest"
	"lapctl/spec"
	"lapctl/tui/screen"
)

func TestNewCmdLogs(t *testing.T) {
	base := LogsOptions{Width: 80, Height: 24}
	tests := []struct {
		argv    string
		want    func(o *LogsOptions)
		wantErr string
	}{
		{argv: "ses_1", want: func(*LogsOptions) {}},
		{argv: "-f --raw ses_1", want: func(o *LogsOptions) { o.Follow, o.Raw = true, true }},
		{argv: "ses_1 --tail 3 --width 120 --height 40", want: func(o *LogsOptions) { o.Tail, o.Width, o.Height = 3, 120, 40 }},
		{argv: "ses_1 -n 2 --follow", want: func(o *LogsOptions) { o.Tail, o.Follow = 2, true }},
		{argv: "ses_1 --tail -1", wantErr: "--tail cannot be negative"},
		{argv: "ses_1 --raw --tail 2", wantErr: "--raw"},
		{argv: "ses_1 --width 0", wantErr: "--width must be between 1 and 1000"},
		{argv: "ses_1 --height 5000", wantErr: "--height"},
		{argv: "", wantErr: "requires a session"},
		{argv: "a b", wantErr: "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *LogsOptions
			err := cmdtest.Run(t, cmdtest.Opts{}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdLogs(f, func(o *LogsOptions) error { got = o; return nil })
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
					t.Fatalf("err %v, want a usage error about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Client == nil || got.Watch == nil || got.Caller.IO != got.IO || got.FirstFrame <= 0 || got.Settle <= 0 || got.Poll <= 0 || got.Redraw <= 0 {
				t.Errorf("dependencies and timings not filled: %+v", got)
			}
			want := base
			want.Ref = strings.Fields(tt.argv)[len(strings.Fields(tt.argv))-1]
			if strings.HasPrefix(tt.argv, "ses_1") {
				want.Ref = "ses_1"
			}
			tt.want(&want)
			if got.Ref != want.Ref || got.Follow != want.Follow || got.Raw != want.Raw || got.Tail != want.Tail || got.Width != want.Width || got.Height != want.Height {
				t.Errorf("parsed %+v\nwant %+v", *got, want)
			}
		})
	}
}

// syncBuffer is stdout for a command still running while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logsEnv is a real server whose TUI harness runs script on a PTY and
// whose API harness upper-cases messages.
type logsEnv struct {
	c   *client.Client
	tui *spec.Agent
	api *spec.Agent
}

func newLogsEnv(t *testing.T, script string) *logsEnv {
	t.Helper()
	srv := servertest.Start(t, servertest.WithHarnessCmd("claude-code", script), servertest.WithHarnessCmd("opencode", "tr a-z A-Z"))
	c, err := client.New(client.Options{BaseURL: srv.URL, APIKey: srv.Key})
	if err != nil {
		t.Fatal(err)
	}
	e := &logsEnv{c: c}
	ctx := context.Background()
	for _, a := range []struct {
		dst     **spec.Agent
		harness string
	}{{&e.tui, "claude-code"}, {&e.api, "opencode"}} {
		if *a.dst, err = c.CreateAgent(ctx, &spec.AgentSpec{Name: a.harness + "-agent", OwnerID: "alice", Harness: a.harness}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ResumeAgent(ctx, (*a.dst).ID); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// start creates a session of agent a and waits until its status is one of want.
func (e *logsEnv) start(t *testing.T, a *spec.Agent, want ...string) *spec.Session {
	t.Helper()
	s, err := e.c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: a.ID, Title: "t-" + a.Harness})
	if err != nil {
		t.Fatal(err)
	}
	return e.waitStatus(t, s.ID, want...)
}

func (e *logsEnv) waitStatus(t *testing.T, id string, want ...string) *spec.Session {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := e.c.GetSession(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if s.Status == w {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %s is %s, want %v", id, s.Status, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// options are LogsOptions built by hand, without a Factory.
func (e *logsEnv) options(ref string, out, errOut *syncBuffer, tty bool) *LogsOptions {
	ios := iostreams.New(strings.NewReader(""), out, errOut, false, nil, func(string) string { return "" })
	ios.SetStdoutTTY(tty)
	return &LogsOptions{
		IO:         ios,
		Client:     func() (*client.Client, error) { return e.c, nil },
		Caller:     cmdutil.Caller{IO: ios},
		Watch:      screen.Watch,
		FirstFrame: 2 * time.Second, Settle: 150 * time.Millisecond, Poll: 50 * time.Millisecond, Redraw: 10 * time.Millisecond,
		Ref:   ref,
		Width: 80, Height: 24,
	}
}

// waitFor waits until buf holds want.
func waitFor(t *testing.T, buf *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(buf.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in:\n%s", want, buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLogsPrintsTheScreenOnce(t *testing.T) {
	e := newLogsEnv(t, `printf 'hello from the pty\n\033[1mbold\033[0m line\n\n\n'; exec sleep 30`)
	s := e.start(t, e.tui, spec.SessionRunning)
	var out, errOut syncBuffer
	opts := e.options("t-claude-code", &out, &errOut, false)
	// The replay may be taken before the shell printed: retry briefly.
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, errOut = syncBuffer{}, syncBuffer{}
		if err := logsRun(context.Background(), opts); err != nil {
			t.Fatalf("logs: %v\n%s", err, errOut.String())
		}
		if out.String() != "" || time.Now().After(deadline) {
			break
		}
	}
	if want := "hello from the pty\nbold line\n"; out.String() != want {
		t.Errorf("screen %q, want %q (stderr %q)", out.String(), want, errOut.String())
	}
	full, _ := e.c.GetSession(context.Background(), s.ID)
	if full.TTYToken == "" || strings.Contains(out.String()+errOut.String(), full.TTYToken) {
		t.Errorf("token %q empty or printed", full.TTYToken)
	}

	out, errOut = syncBuffer{}, syncBuffer{}
	opts.Tail = 1
	if err := logsRun(context.Background(), opts); err != nil || out.String() != "bold line\n" {
		t.Errorf("--tail 1: %q %v", out.String(), err)
	}

	out, errOut = syncBuffer{}, syncBuffer{}
	opts.Tail, opts.Raw = 0, true
	if err := logsRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\x1b[1mbold\x1b[0m line\r\n") || !strings.Contains(out.String(), "hello from the pty\r\n") {
		t.Errorf("--raw %q lacks the escape sequences and CRLFs the PTY sent", out.String())
	}
}

func TestLogsFollowPrintsLaterOutput(t *testing.T) {
	// The session may run in a sandbox that sees none of the test's
	// files, so the later output comes after a pause instead of a signal.
	e := newLogsEnv(t, `printf 'first line\n'; sleep 1.5; printf 'later line\n'; sleep 0.3; exit 3`)
	e.start(t, e.tui, spec.SessionRunning)
	var out, errOut syncBuffer
	opts := e.options("t-claude-code", &out, &errOut, false)
	opts.Follow = true
	done := make(chan error, 1)
	go func() { done <- logsRun(context.Background(), opts) }()
	waitFor(t, &out, "first line\n")
	if strings.Contains(out.String(), "later line") {
		t.Fatal("the later line came with the first: the test shows nothing about following")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("follow: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("follow did not end with the session; printed:\n%s", out.String())
	}
	// Each line once, in order: the log does not repeat what it printed.
	if got := out.String(); strings.Count(got, "first line") != 1 || !strings.Contains(got, "first line\nlater line\n") {
		t.Errorf("followed output %q", got)
	}
	if !strings.Contains(errOut.String(), "ended (exited, exit code 3)") {
		t.Errorf("stderr %q does not report the end", errOut.String())
	}
}

func TestLogsFollowRedrawsOnATerminalAndEndsOnCtrlC(t *testing.T) {
	e := newLogsEnv(t, `printf 'tick 1\n'; sleep 0.2; printf '\033[2J\033[Htick 2\n'; exec sleep 30`)
	e.start(t, e.tui, spec.SessionRunning)
	var out, errOut syncBuffer
	opts := e.options("t-claude-code", &out, &errOut, true)
	opts.Follow = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- logsRun(ctx, opts) }()
	waitFor(t, &out, "tick 2\x1b[K\r\n")
	cancel() // what Ctrl-C does through the root's signal context
	if err := <-done; err != nil {
		t.Fatalf("Ctrl-C: %v, want a clean exit", err)
	}
	if !strings.HasPrefix(out.String(), "\x1b[H\x1b[2J") {
		t.Errorf("the first draw does not clear the terminal: %q", out.String())
	}
}

func TestLogsOfAnEndedTUISession(t *testing.T) {
	e := newLogsEnv(t, `printf 'bye\n'; exit 0`)
	s := e.start(t, e.tui, spec.SessionExited)
	var out, errOut syncBuffer
	err := logsRun(context.Background(), e.options(s.ID, &out, &errOut, false))
	if err == nil || !strings.Contains(err.Error(), "has ended (exited, exit code 0)") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Fatalf("ended session: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
	if out.String() != "" {
		t.Errorf("printed %q for a session with no screen", out.String())
	}
}

func TestLogsOfAnAPISession(t *testing.T) {
	e := newLogsEnv(t, "cat")
	s := e.start(t, e.api, spec.SessionRunning, spec.SessionIdle)
	var out, errOut syncBuffer
	opts := e.options(s.ID, &out, &errOut, false)
	if err := logsRun(context.Background(), opts); err != nil || out.String() != "" || !strings.Contains(errOut.String(), "has no messages yet") {
		t.Fatalf("no messages: %v %q %q", err, out.String(), errOut.String())
	}
	ctx := context.Background()
	if _, err := e.c.SendMessage(ctx, s.ID, "hello", ""); err != nil {
		t.Fatal(err)
	}
	out, errOut = syncBuffer{}, syncBuffer{}
	if err := logsRun(ctx, opts); err != nil || out.String() != "user:\nhello\n\nassistant:\nHELLO\n" {
		t.Fatalf("history: %v %q", err, out.String())
	}

	out, errOut = syncBuffer{}, syncBuffer{}
	opts.Follow, opts.Tail = true, 1
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- logsRun(fctx, opts) }()
	waitFor(t, &out, "HELLO\n")
	if _, err := e.c.SendMessage(ctx, s.ID, "again", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &out, "AGAIN\n")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Ctrl-C: %v", err)
	}
	if want := "assistant:\nHELLO\n\nuser:\nagain\n\nassistant:\nAGAIN\n"; out.String() != want {
		t.Errorf("followed %q, want %q", out.String(), want)
	}

	out, errOut = syncBuffer{}, syncBuffer{}
	opts.Follow, opts.Tail, opts.Raw = false, 0, true
	err := logsRun(ctx, opts)
	var code *cmdutil.ExitCodeError
	if !errors.As(err, &code) || code.Code != cmdutil.ExitConflict || !strings.Contains(errOut.String(), "no terminal") {
		t.Errorf("--raw on an API session: %v %q", err, errOut.String())
	}
}

func TestLogsOfAnUnknownSession(t *testing.T) {
	e := newLogsEnv(t, "cat")
	var out, errOut syncBuffer
	err := logsRun(context.Background(), e.options("ses_nope", &out, &errOut, false))
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound {
		t.Errorf("unknown session: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

// TestLineLog: a scrolling screen prints each line once, the cursor's
// line again when it changed; a screen redrawn in place is printed again
// whole; an unchanged screen prints nothing.
func TestLineLog(t *testing.T) {
	var b bytes.Buffer
	l := &lineLog{w: &b}
	for _, screen := range []string{"a\nb\n$", "a\nb\n$", "a\nb\n$ ls\nx\n$", "b\n$ ls\nx\n$ echo\ny", "TOP 1\nrow", "TOP 2\nrow"} {
		l.update(screen)
	}
	l.finish()
	if want := "a\nb\n$\n$ ls\nx\n$\n$ echo\ny\nTOP 1\nrow\nTOP 2\nrow\n"; b.String() != want {
		t.Errorf("log %q\nwant %q", b.String(), want)
	}
	b.Reset()
	l = &lineLog{w: &b, tail: 2}
	l.update("1\n2\n3\n4")
	l.update("1\n2\n3\n4\n5")
	if want := "3\n4\n5\n"; b.String() != want {
		t.Errorf("--tail 2 log %q, want %q", b.String(), want)
	}
}

package forms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/creack/pty"

	"lapctl/internal/testutil"
	"lapctl/iostreams"
)

func TestRunNeedsATerminal(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	_, err := Run(context.Background(), Options{}, ios)
	if err == nil || !strings.Contains(err.Error(), "needs a terminal: pass the agent with -f FILE") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunAccessibleFromEnv(t *testing.T) {
	srv := newFakeServer(t)
	var out bytes.Buffer
	env := func(k string) string {
		if k == "ACCESSIBLE" {
			return "1"
		}
		return ""
	}
	ios := iostreams.New(strings.NewReader(""), &out, io.Discard, false, nil, env)
	_, err := Run(context.Background(), Options{Client: srv.client(t), OwnerID: "me"}, ios)
	if !errors.Is(err, ErrCancelled) || !strings.Contains(out.String(), "Step 1 of 10") {
		t.Fatalf("err = %v, output:\n%s", err, out.String())
	}
}

// onPty gives Run a pseudo-terminal, as lapctl has on a real one, and
// returns a way to type into it and to wait for the screen to show text.
func onPty(t *testing.T) (ios *iostreams.IOStreams, typeKeys func(string), waitScreen func(string)) {
	t.Helper()
	ios, typeKeys, waitScreen, _ = onPtyScreen(t)
	return ios, typeKeys, waitScreen
}

// onPtyScreen is onPty that also returns all the terminal was sent.
func onPtyScreen(t *testing.T) (ios *iostreams.IOStreams, typeKeys func(string), waitScreen func(string), screenText func() string) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	_ = pty.Setsize(master, &pty.Winsize{Cols: 80, Rows: 24})
	screen := &testutil.SyncBuffer{}
	go func() { _, _ = io.Copy(screen, master) }() // the program blocks unless its output is read
	env := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	ios = iostreams.New(slave, slave, io.Discard, true, func() int { return 80 }, env)
	typeKeys = func(s string) { _, _ = master.WriteString(s) }
	waitScreen = func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(screen.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %q", want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return ios, typeKeys, waitScreen, screen.String
}

func TestRunOnTerminalCancel(t *testing.T) {
	srv := newFakeServer(t)
	ios, typeKeys, waitScreen := onPty(t)
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), Options{Client: srv.client(t), OwnerID: "me"}, ios)
		done <- err
	}()
	waitScreen("Step 1 of 10")
	typeKeys("\x03")
	waitScreen("Press ctrl+c again")
	typeKeys("\x03")
	select {
	case err := <-done:
		if !errors.Is(err, ErrCancelled) {
			t.Fatalf("err = %v, want ErrCancelled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after two ctrl+c")
	}
}

func TestRunOnTerminalContextCancelled(t *testing.T) {
	srv := newFakeServer(t)
	ios, _, waitScreen := onPty(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Options{Client: srv.client(t), OwnerID: "me"}, ios)
		done <- err
	}()
	waitScreen("Step 1 of 10")
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return on cancel")
	}
}

// TestRunOnNoColorTerminal: on a terminal with NO_COLOR the program
// draws no colour (Bubble Tea applies the profile from ios when writing).
func TestRunOnNoColorTerminal(t *testing.T) {
	srv := newFakeServer(t)
	ios, typeKeys, waitScreen, screen := onPtyScreen(t)
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), Options{Client: srv.client(t), OwnerID: "me"}, ios)
		done <- err
	}()
	waitScreen("Step 1 of 10")
	if s := screen(); strings.Contains(s, "\x1b[38;") || strings.Contains(s, "\x1b[48;") {
		t.Errorf("colour drawn with NO_COLOR: %q", s)
	}
	typeKeys("\x03")
	waitScreen("Press ctrl+c again")
	typeKeys("\x03")
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after two ctrl+c")
	}
}

// TestRunnerKeyBurst writes keys the way they reach the program in one
// read (over SSH, from key repeat): "jj" in one write to its input. Each
// must still move the selection, as when pressed one at a time: Bubble
// Tea v2 reports them one by one.
func TestRunnerKeyBurst(t *testing.T) {
	srv := newFakeServer(t)
	opts := Options{Client: srv.client(t), OwnerID: "me", StartDir: t.TempDir()}
	d := newDriver(t, opts)
	d.typeText("burst")
	d.press("enter", "enter", "enter")
	d.waitFor("Step 2 of 10")
	start := selectedLine(d.view())
	d.press("j", "j")
	want := selectedLine(d.view())
	if start == "" || want == start {
		t.Fatalf("j j moved the selection from %q to %q: the test needs a list that moves", start, want)
	}

	pr, pw := io.Pipe()
	b := NewBuilder(opts)
	t.Cleanup(b.cancel)
	rec := &recorder{Model: &runner{b: b}}
	p := tea.NewProgram(rec, tea.WithInput(pr), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24),
		tea.WithoutSignals(), tea.WithColorProfile(colorprofile.ASCII))
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	t.Cleanup(func() { p.Quit(); pw.Close(); <-done })
	rec.WaitFor(t, "Step 1 of 10")
	_, _ = pw.Write([]byte("burst\r\r\r"))
	rec.WaitFor(t, "Step 2 of 10", start)
	_, _ = pw.Write([]byte("jj"))
	rec.WaitFor(t, want)
}

// selectedLine is the option under the cursor ("> name") in a view.
func selectedLine(view string) string {
	for _, line := range strings.Split(view, "\n") {
		l := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "┃"))
		if strings.HasPrefix(l, "> ") {
			return l
		}
	}
	return ""
}

// TestBuilderRequestsEndWithCallerContext: the builder's look-ups run
// under the caller's context, so a hang-up (an SSH session's context
// ending) cancels them rather than leaving them to their timeout.
func TestBuilderRequestsEndWithCallerContext(t *testing.T) {
	srv := newFakeServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	b := NewBuilder(Options{Client: srv.client(t), OwnerID: "me", Context: ctx})
	t.Cleanup(b.cancel)
	cancel()
	start := time.Now()
	msg := b.loadHarnesses()().(harnessesMsg)
	if !errors.Is(msg.err, context.Canceled) {
		t.Fatalf("harness look-up after the caller's context ended: err = %v, want context.Canceled", msg.err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the cancelled look-up took %v", took)
	}
}

package forms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/creack/pty"
	"github.com/muesli/termenv"

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
	return ios, typeKeys, waitScreen
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

func TestRunRendererFollowsStreams(t *testing.T) {
	env := map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}
	ios := iostreams.New(strings.NewReader(""), io.Discard, io.Discard, true, nil, func(k string) string { return env[k] })
	if p := renderer(ios).ColorProfile(); p != termenv.TrueColor {
		t.Fatalf("profile %v from a truecolor session, want TrueColor", p)
	}
	env["NO_COLOR"] = "1"
	if p := renderer(ios).ColorProfile(); p != termenv.Ascii {
		t.Fatalf("profile %v with NO_COLOR, want Ascii", p)
	}
}

// TestRunnerKeyBurst sends keys the way they reach the program in one
// read (over SSH, from key repeat): as one message. Through the runner,
// each must still move the selection, as when typed one at a time.
func TestRunnerKeyBurst(t *testing.T) {
	srv := newFakeServer(t)
	atHarness := func() *driver {
		d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me"})
		d.typeText("burst")
		d.press("enter", "enter", "enter")
		d.waitFor("Step 2 of 10")
		return d
	}
	oneByOne := atHarness()
	start := oneByOne.view()
	oneByOne.press("j", "j")
	if oneByOne.view() == start {
		t.Fatal("j j did not move the harness selection: the test needs a list that moves")
	}
	burst := atHarness()
	rn := &runner{b: burst.b}
	_, cmd := rn.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	burst.run(cmd)
	if burst.view() != oneByOne.view() {
		t.Errorf("the burst \"jj\" left:\n%s\none at a time:\n%s", burst.view(), oneByOne.view())
	}
}

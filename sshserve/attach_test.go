package sshserve

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/creack/pty"

	"lapctl/client"
	"lapctl/config"
	"lapctl/internal/sshtest"
	"lapctl/server/servertest"
	"lapctl/spec"
	"lapctl/tui"
)

// shellSession starts the embedded platform with claude-code mapped to
// /bin/sh and returns a client and a running TUI session owned by owner.
func shellSession(t *testing.T, owner string) (*servertest.Instance, *client.Client, *spec.Session) {
	t.Helper()
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "/bin/sh"))
	c, err := client.New(client.Options{BaseURL: inst.URL, APIKey: inst.Key})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	agent, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "shell", OwnerID: owner, Harness: "claude-code"})
	if err != nil {
		t.Fatal(err)
	}
	// New agents are paused; sessions need an active one.
	if _, err := c.ResumeAgent(ctx, agent.ID); err != nil {
		t.Fatal(err)
	}
	sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: agent.ID, Title: "ssh test"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for sess.Status != spec.SessionRunning && sess.Status != spec.SessionIdle {
		if time.Now().After(deadline) || !sess.Live() {
			t.Fatalf("session %s never ran: %s %s", sess.ID, sess.Status, sess.FailureReason)
		}
		time.Sleep(50 * time.Millisecond)
		if sess, err = c.GetSession(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
	}
	return inst, c, sess
}

// TestAttachBridge attaches from a minimal console, to check the bridge
// itself: keystrokes, output byte for byte, window changes, detach. The
// attach reads keystrokes from a pseudo-terminal, or from a pipe where
// none can be opened.
func TestAttachBridge(t *testing.T) {
	t.Run("pty", testAttachBridge)
	t.Run("pipe", func(t *testing.T) {
		openPTY = func() (*os.File, *os.File, error) { return nil, nil, errors.New("no pty here") }
		defer func() { openPTY = pty.Open }()
		testAttachBridge(t)
	})
}

func testAttachBridge(t *testing.T) {
	_, c, sess := shellSession(t, "alice")
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{Client: c, NewConsole: standInConsole(sess.ID)}, owned(alice, "alice"))
	sc := sshtest.OpenScreen(t, ts.mustDial(t, alice, "alice"), 80, 24, "")
	sc.WaitFor("stand-in console")

	sc.Type("a")
	// Keys typed before the attach starts are the console's: wait for it.
	sc.WaitFor("detach with ctrl-]")
	sc.Type("echo $((6*7))\r")
	sc.WaitFor("42")

	// The client's window changes reach the remote PTY.
	if err := sc.Sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	sc.Skip()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(sc.Text(), "30 100") {
		if time.Now().After(deadline) {
			t.Fatalf("stty never saw the new size:\n%s", sc.Text())
		}
		sc.Type("stty size\r")
		time.Sleep(200 * time.Millisecond)
	}

	// A bare "\n" from the remote program arrives as is (charmbracelet's
	// emulated PTY would make it "\r\n").
	sc.Skip()
	sc.Type("stty -onlcr; printf 'A1\\nB2\\n'; stty onlcr\r")
	printed := regexp.MustCompile(`A1\r?\nB2`) // the echoed command line has a backslash
	deadline = time.Now().Add(10 * time.Second)
	for !printed.MatchString(sc.Raw()) {
		if time.Now().After(deadline) {
			t.Fatalf("printf output never came: %q", sc.Raw())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if raw := sc.Raw(); !strings.Contains(raw, "A1\nB2") {
		t.Errorf("output was rewritten: %q", raw)
	}

	// Ctrl-] detaches and the console takes the terminal back.
	sc.Skip()
	sc.Type("\x1d")
	sc.WaitFor("attach ended (err=<nil>)")
	sc.Type("q")
	if code := sc.Wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

func TestAttachRefusesAnotherOwnersSession(t *testing.T) {
	_, c, sess := shellSession(t, "alice")
	bob := sshtest.NewKey(t)
	ts := startServer(t, Options{Client: c, NewConsole: standInConsole(sess.ID)}, owned(bob, "bob"))
	sc := sshtest.OpenScreen(t, ts.mustDial(t, bob, "bob"), 160, 24, "")
	sc.WaitFor("stand-in console")
	sc.Type("a")
	sc.WaitFor("belongs to another owner's agent: you act as bob")
	sc.Type("q")
	sc.Wait()
}

// TestConsoleAttachToShell drives the real console over SSH against the
// real embedded server: sessions page, attach, a command in the shell,
// detach back to the console.
func TestConsoleAttachToShell(t *testing.T) {
	inst, c, sess := shellSession(t, "alice")
	alice := sshtest.NewKey(t)
	newConsole := func(_ ssh.Session, term Terminal, id Identity, attach AttachFunc) (tea.Model, error) {
		return tui.New(tui.Options{
			Client:          c,
			Endpoint:        config.Endpoint{BaseURL: inst.URL, OwnerID: id.OwnerID},
			LightBackground: term.LightBackground,
			Attach:          attach,
			User:            id.User,
			PollInterval:    200 * time.Millisecond,
			NoEditor:        true,
		}), nil
	}
	ts := startServer(t, Options{Client: c, NewConsole: newConsole}, owned(alice, "alice"))
	sc := sshtest.OpenScreen(t, ts.mustDial(t, alice, "alice"), 120, 32, "")
	sc.WaitFor("Agents")

	sc.Type("2")
	sc.WaitFor(sess.ID)
	sc.Skip()
	sc.Type("a")
	sc.WaitFor("detach with ctrl-]")
	sc.Type("echo $((6*7))\r")
	sc.WaitFor("42")

	sc.Skip()
	sc.Type("\x1d")
	sc.WaitFor("detached from " + sess.ID)
	sc.WaitFor("Sessions")
	sc.Type("q")
	if code := sc.Wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

package sshserve

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"lapctl/internal/sshtest"
	"lapctl/internal/testutil"
)

func TestAuthorizedAndUnauthorizedKeys(t *testing.T) {
	alice, operator, stranger := sshtest.NewKey(t), sshtest.NewKey(t), sshtest.NewKey(t)
	ts := startServer(t, Options{}, owned(alice, "alice"), operator.Line)

	// A mapped key acts as its owner, whatever login name it uses.
	out, _, code := sshtest.Run(t, ts.mustDial(t, alice, "bob"), "", "whoami")
	var who map[string]any
	if err := json.Unmarshal([]byte(out), &who); err != nil || code != 0 {
		t.Fatalf("whoami: %q, code %d, %v", out, code, err)
	}
	if who["owner"] != "alice" || who["user"] != "bob" || who["fingerprint"] != alice.Fingerprint || who["tty"] != false {
		t.Errorf("whoami = %v", who)
	}
	// An unmapped key acts as the operator: no owner override.
	out, _, _ = sshtest.Run(t, ts.mustDial(t, operator, "ops"), "", "whoami")
	if !strings.Contains(out, `"owner":""`) {
		t.Errorf("operator whoami = %s", out)
	}

	// An unknown key is refused during the handshake: no session, no UI.
	if _, err := ts.dial(t, stranger, "alice"); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("stranger dial: %v, want an authentication failure", err)
	}
	if !strings.Contains(ts.logs.String(), "ssh key refused") || !strings.Contains(ts.logs.String(), stranger.Fingerprint) {
		t.Errorf("refusal not logged with the fingerprint:\n%s", ts.logs.String())
	}
	// Neither passwords nor keyboard-interactive are offered.
	cfg := &gossh.ClientConfig{
		User: "alice",
		Auth: []gossh.AuthMethod{gossh.Password("x"), gossh.KeyboardInteractive(
			func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	}
	if _, err := gossh.Dial("tcp", ts.addr, cfg); err == nil || !strings.Contains(err.Error(), "[none]") {
		t.Errorf("password dial: %v, want only publickey offered", err)
	}
	// The session log names user, key and address, and the exit status.
	// The end line follows the exit status the client has already seen.
	testutil.WaitFor(t, "exit_code=0", ts.logs.String)
	logs := ts.logs.String()
	for _, want := range []string{"ssh session start", "user=bob", "owner=alice", "fingerprint=" + alice.Fingerprint, "remote=127.0.0.1:", "ssh session end", "exit_code=0", "duration="} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestAuthorizedKeysEditsApplyToNextLogin(t *testing.T) {
	alice, bob := sshtest.NewKey(t), sshtest.NewKey(t)
	ts := startServer(t, Options{}, owned(alice, "alice"))
	if _, err := ts.dial(t, bob, "bob"); err == nil {
		t.Fatal("bob got in before being added")
	}
	writeFile(t, ts.keysPath, owned(alice, "alice"), owned(bob, "bob"))
	out, _, _ := sshtest.Run(t, ts.mustDial(t, bob, "bob"), "", "whoami")
	if !strings.Contains(out, `"owner":"bob"`) {
		t.Errorf("bob whoami = %s", out)
	}
	writeFile(t, ts.keysPath, owned(bob, "bob"))
	if _, err := ts.dial(t, alice, "alice"); err == nil {
		t.Error("alice still gets in after her key was removed")
	}
	// A file others may write refuses everyone rather than trust it.
	if err := os.Chmod(ts.keysPath, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.dial(t, bob, "bob"); err == nil {
		t.Error("a world-writable authorized_keys still let bob in")
	}
}

func TestHostKeyPersistsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	writeFile(t, keys)
	opts := Options{DataDir: dir, AuthorizedKeys: keys, NewCommand: standInCommand, NewConsole: standInConsole(""),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	first, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, HostKeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	second, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := first.HostKeyFingerprint(), second.HostKeyFingerprint(); a != b || !strings.HasPrefix(a, "SHA256:") {
		t.Errorf("fingerprints %s then %s, want one persistent key", a, b)
	}
	if err := os.Chmod(filepath.Join(dir, HostKeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(opts); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("readable host key: %v, want a refusal naming chmod 600", err)
	}
}

func TestNewNeedsAnAuthorizedKeysFile(t *testing.T) {
	_, err := New(Options{DataDir: t.TempDir(), NewCommand: standInCommand, NewConsole: standInConsole("")})
	if err == nil || !strings.Contains(err.Error(), "does not exist: create it") || !strings.Contains(err.Error(), `environment="LAPCTL_OWNER=alice"`) {
		t.Errorf("err = %v, want how to create the file", err)
	}
}

func TestCommandSessions(t *testing.T) {
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{}, owned(alice, "alice"))
	c := ts.mustDial(t, alice, "alice")

	// Stdin reaches the command; its output comes back.
	if out, _, code := sshtest.Run(t, c, "hello over ssh\n", "cat"); out != "hello over ssh\n" || code != 0 {
		t.Errorf("cat = %q, code %d", out, code)
	}
	// A failure reaches stderr and the exit status.
	if _, errOut, code := sshtest.Run(t, c, "", "fail"); code != 1 || !strings.Contains(errOut, "error: it failed") {
		t.Errorf("fail: stderr %q, code %d", errOut, code)
	}
	// No arguments is help, never the server's own os.Args.
	if out, _, code := sshtest.Run(t, c, "", ""); code != 0 || !strings.Contains(out, "Available Commands") {
		t.Errorf("no args: %q, code %d", out, code)
	}
	// The client's environment passes only for presentation: it cannot
	// point the operator's key at another server.
	out, _, _ := sshtest.Run(t, c, "", "whoami", "LITELLM_API_BASE=http://evil.example", "LANG=C.UTF-8")
	if !strings.Contains(out, `"base":""`) || !strings.Contains(out, `"lang":"C.UTF-8"`) {
		t.Errorf("env leaked or lost: %s", out)
	}
	// With ssh -t the command gets a terminal.
	sc := sshtest.OpenScreen(t, c, 90, 20, "whoami")
	if sc.Wait() != 0 || !strings.Contains(sc.Text(), `"tty":true`) {
		t.Errorf("ssh -t whoami: %s", sc.Text())
	}
}

func TestExitCodeHook(t *testing.T) {
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{ExitCode: func(_ *cobra.Command, err error, w io.Writer) int {
		w.Write([]byte("custom: " + err.Error() + "\n"))
		return 7
	}}, owned(alice, "alice"))
	_, errOut, code := sshtest.Run(t, ts.mustDial(t, alice, "alice"), "", "fail")
	if code != 7 || errOut != "custom: it failed\n" {
		t.Errorf("stderr %q, code %d", errOut, code)
	}
}

func TestConsoleFollowsTheWindow(t *testing.T) {
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{NewConsole: standInConsole("ses_x")}, owned(alice, "alice"))
	sc := sshtest.OpenScreen(t, ts.mustDial(t, alice, "alice"), 100, 30, "")
	sc.WaitFor("stand-in console owner=alice size=100x30")
	if err := sc.Sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	sc.WaitFor("size=120x40")
	// Without a platform connection attach is refused, not attempted.
	sc.Type("a")
	sc.WaitFor("attach refused: attach is not available")
	sc.Type("q")
	if code := sc.Wait(); code != 0 {
		t.Errorf("console exit status %d", code)
	}
}

func TestMaxSessions(t *testing.T) {
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{MaxSessions: 2}, owned(alice, "alice"))
	c := ts.mustDial(t, alice, "alice")
	first := sshtest.OpenScreen(t, c, 80, 24, "")
	first.WaitFor("stand-in console")
	second := sshtest.OpenScreen(t, ts.mustDial(t, alice, "alice"), 80, 24, "")
	second.WaitFor("stand-in console")

	// One over the limit: refused, saying why, with a failing status.
	_, errOut, code := sshtest.Run(t, c, "", "whoami")
	if code != 1 || !strings.Contains(errOut, "too many sessions (the limit is 2)") {
		t.Errorf("third session: stderr %q, code %d", errOut, code)
	}
	testutil.WaitFor(t, `reason="refused: too many sessions"`, ts.logs.String)
	third := sshtest.OpenScreen(t, c, 80, 24, "")
	if code := third.Wait(); code != 1 || !strings.Contains(third.Text(), "too many sessions") {
		t.Errorf("third console: code %d, screen %q", code, third.Text())
	}

	// A slot freed is a slot usable.
	first.Type("q")
	first.Wait()
	// The slot is released just after the exit status goes out, then the
	// end is logged: wait for that line, not the status alone.
	testutil.WaitFor(t, "console ended", func() string {
		for _, line := range strings.Split(ts.logs.String(), "\n") {
			if strings.Contains(line, "ssh session end") && strings.Contains(line, "kind=console") && strings.Contains(line, "exit_code=0") {
				return "console ended"
			}
		}
		return ""
	})
	if out, _, code := sshtest.Run(t, c, "", "whoami"); code != 0 || !strings.Contains(out, "alice") {
		t.Errorf("after one left: %q, code %d", out, code)
	}
}

func TestIdleTimeoutClosesSilentSessions(t *testing.T) {
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{IdleTimeout: 400 * time.Millisecond}, owned(alice, "alice"))
	c := ts.mustDial(t, alice, "alice")

	sc := sshtest.OpenScreen(t, c, 80, 24, "")
	sc.WaitFor("stand-in console")
	start := time.Now()
	// Typing keeps it alive...
	for range 4 {
		time.Sleep(200 * time.Millisecond)
		sc.Type("x")
	}
	// ...silence ends it, with a notice.
	if code := sc.Wait(); code != 1 {
		t.Errorf("idle exit status %d", code)
	}
	if time.Since(start) < 800*time.Millisecond {
		t.Errorf("closed after %v despite typing", time.Since(start))
	}
	if !strings.Contains(sc.Text(), "no activity for 400ms; closing the session") {
		t.Errorf("no idle notice; screen:\n%s", sc.Text())
	}
	// A command that waits in silence is idle too.
	_, errOut, code := sshtest.Run(t, c, "", "wait")
	if code != 1 || !strings.Contains(errOut, "no activity") {
		t.Errorf("idle command: stderr %q, code %d", errOut, code)
	}
	testutil.WaitFor(t, "reason=idle", ts.logs.String)
}

func TestShutdownNotifiesConnectedUsers(t *testing.T) {
	alice := sshtest.NewKey(t)
	ts := startServer(t, Options{}, owned(alice, "alice"))
	c := ts.mustDial(t, alice, "alice")
	sc := sshtest.OpenScreen(t, c, 80, 24, "")
	sc.WaitFor("stand-in console")
	// A command in progress gets until the shutdown's deadline.
	cmd := sshtest.OpenScreen(t, c, 80, 24, "wait")
	cmd.WaitFor("waiting")

	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := ts.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown: %v, want the deadline (a command was still running)", err)
	}
	if time.Since(start) < 600*time.Millisecond {
		t.Errorf("Shutdown returned after %v, before its deadline", time.Since(start))
	}
	// The console was told at once; the command at the deadline.
	sc.WaitFor("the server is shutting down; closing the session")
	if code := sc.Wait(); code != 1 {
		t.Errorf("console exit status %d", code)
	}
	cmd.WaitFor("the server is shutting down")
	if code := cmd.Wait(); code != 1 {
		t.Errorf("command exit status %d", code)
	}
	if _, err := ts.dial(t, alice, "alice"); err == nil {
		t.Error("a new connection was accepted after Shutdown")
	}
}

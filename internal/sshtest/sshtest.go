// Package sshtest is the SSH client side of the SSH server's tests (the
// sshserve package and lapctl ssh-serve): fresh keys, dialling, command
// sessions and interactive sessions on a PTY. Only tests import it.
package sshtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"lapctl/internal/testutil"
)

// Key is a fresh ed25519 client key.
type Key struct {
	Signer      gossh.Signer
	Line        string // its authorized_keys line, without options or comment
	Fingerprint string
}

// NewKey makes a Key.
func NewKey(t testing.TB) Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	return Key{Signer: signer, Line: line, Fingerprint: gossh.FingerprintSHA256(signer.PublicKey())}
}

// Dial connects to addr as user with key; the connection is closed when
// the test ends. hostKey checks the server (gossh.FixedHostKey, or
// gossh.InsecureIgnoreHostKey where the test does not know it).
func Dial(t testing.TB, addr, user string, key gossh.Signer, hostKey gossh.HostKeyCallback) (*gossh.Client, error) {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: hostKey,
		Timeout:         5 * time.Second,
	})
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

// Run runs cmd in a session without a PTY, with env (KEY=VALUE) set, and
// returns what it printed and its exit status.
func Run(t testing.TB, c *gossh.Client, stdin, cmd string, env ...string) (stdout, stderr string, code int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := s.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	var out, errOut bytes.Buffer
	s.Stdin, s.Stdout, s.Stderr = strings.NewReader(stdin), &out, &errOut
	err = s.Run(cmd)
	var exitErr *gossh.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitStatus()
	default:
		t.Fatalf("ssh %s: %v (stderr %q)", cmd, err, errOut.String())
	}
	return out.String(), errOut.String(), code
}

// Screen is an interactive session on a PTY, as a user's terminal: the
// output as received, and a terminal emulator drawing it (Bubble Tea v2
// writes only the cells that change, so text can be split in the stream).
// The emulator answers the program's queries (background colour, modes)
// on the session's input, as a real terminal does.
type Screen struct {
	Sess  *gossh.Session // for what a terminal does besides typing: resizes
	t     testing.TB
	stdin io.WriteCloser
	out   *testutil.SyncBuffer
	mark  int // WaitFor, Text and Raw look at output after this offset
	done  chan error
	term  *terminal
}

// terminal is a vt emulator safe for the session's writer and the test.
type terminal struct {
	mu  sync.Mutex
	emu *vt.Emulator
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.emu.Write(p)
}

func (t *terminal) screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.emu.String()
}

// OpenScreen starts cmd (a shell when "") on a cols×rows PTY.
func OpenScreen(t testing.TB, c *gossh.Client, cols, rows int, cmd string) *Screen {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	sc := &Screen{Sess: s, t: t, stdin: stdin, out: &testutil.SyncBuffer{}, done: make(chan error, 1),
		term: &terminal{emu: vt.NewEmulator(cols, rows)}}
	w := io.MultiWriter(sc.out, sc.term)
	s.Stdout, s.Stderr = w, w
	// The terminal's answers. The emulator is never closed: its Close
	// races its Read, so this reader stays blocked once the test is done.
	go func() { _, _ = io.Copy(stdin, sc.term.emu) }()
	if cmd == "" {
		err = s.Shell()
	} else {
		err = s.Start(cmd)
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { sc.done <- s.Wait() }()
	t.Cleanup(func() { s.Close() })
	return sc
}

// Screen is what the terminal shows now.
func (sc *Screen) Screen() string { return sc.term.screen() }

// Raw is the output after the mark, escape sequences and all.
func (sc *Screen) Raw() string {
	raw := sc.out.String()
	return raw[min(sc.mark, len(raw)):]
}

// Text is the output after the mark, without escape sequences.
func (sc *Screen) Text() string { return ansi.Strip(sc.Raw()) }

// WaitFor waits until the output after the mark shows want: in the
// stream, or on the screen once something arrived after the mark.
func (sc *Screen) WaitFor(want string) {
	sc.t.Helper()
	shown := func() bool {
		return strings.Contains(sc.Text(), want) || (sc.Raw() != "" && strings.Contains(sc.Screen(), want))
	}
	if !testutil.Eventually(15*time.Second, shown) {
		sc.t.Fatalf("screen never showed %q; it shows:\n%s\nraw: %q", want, sc.Screen(), sc.out.String())
	}
}

// Skip moves the mark past everything shown so far.
func (sc *Screen) Skip() { sc.mark = len(sc.out.String()) }

// Type sends s as typed keys.
func (sc *Screen) Type(s string) {
	sc.t.Helper()
	if _, err := io.WriteString(sc.stdin, s); err != nil {
		sc.t.Fatalf("typing %q: %v", s, err)
	}
}

// Wait waits for the session to end and returns its exit status.
func (sc *Screen) Wait() int {
	sc.t.Helper()
	select {
	case err := <-sc.done:
		var exitErr *gossh.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitStatus()
		}
		if err != nil {
			sc.t.Fatalf("session: %v", err)
		}
		return 0
	case <-time.After(15 * time.Second):
		sc.t.Fatalf("session did not end; screen:\n%s", sc.Text())
		return -1
	}
}

// Package tmuxtest drives the real lapctl binary in tmux, for end-to-end
// tests of what a person sees: it builds lapctl, runs `lapctl serve` on a
// free loopback port, and types into and reads a pane of a private tmux
// server. Only tests import it.
package tmuxtest

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/internal/testutil"
)

// Key is the master key of `lapctl serve` when LITELLM_MASTER_KEY is
// empty.
const Key = "sk-local"

// Lab is a freshly built lapctl and the `lapctl serve` it runs, both in
// one temporary directory.
type Lab struct {
	Dir    string // the binary, the server's data, the config and $HOME
	Bin    string
	URL    string
	Client *client.Client
}

// NewLab skips t without tmux or under -short, else builds lapctl and
// starts `lapctl serve serveArgs...`, stopped when the test ends.
func NewLab(t *testing.T, serveArgs ...string) *Lab {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: this end-to-end test drives the real lapctl binary in tmux (CI installs it)")
	}
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end tmux test")
	}
	l := &Lab{Dir: t.TempDir()}
	l.Bin = filepath.Join(l.Dir, "lapctl")
	if out, err := exec.Command("go", "build", "-o", l.Bin, "lapctl/cmd/lapctl").CombinedOutput(); err != nil {
		t.Fatalf("building lapctl: %v\n%s", err, out)
	}
	l.URL = l.serve(t, serveArgs)
	l.Client = apitest.NewClient(t, l.URL, Key)
	return l
}

// Env is the environment lapctl sees in the pane: the lab's key, config
// and home, a 256-colour terminal, and extra (KEY=VALUE).
func (l *Lab) Env(extra ...string) []string {
	return append([]string{
		"LITELLM_MASTER_KEY=" + Key, "LAPCTL_CONFIG=" + filepath.Join(l.Dir, "config.yaml"),
		"HOME=" + l.Dir, "XDG_CONFIG_HOME=" + l.Dir, "TERM=xterm-256color",
	}, extra...)
}

// serve runs `lapctl serve` until the test ends and returns its URL once
// /health answers.
func (l *Lab) serve(t *testing.T, args []string) string {
	t.Helper()
	addr := testutil.FreeAddr(t)
	var logs strings.Builder
	cmd := exec.Command(l.Bin, append([]string{"serve", "--listen", addr, "--data-dir", filepath.Join(l.Dir, "data")}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+l.Dir, "LITELLM_MASTER_KEY=")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("lapctl serve did not come up on %s: %v\n%s", addr, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Session is one 120×40 pane on a private tmux server (its own socket in
// the test's temporary directory), so the operator's tmux is never
// touched.
type Session struct {
	// History is how many lines above the pane Screen includes, for a
	// program whose output scrolls.
	History int
	t       *testing.T
	socket  string
}

// Start runs env argv... in dir in a new pane.
func Start(t *testing.T, dir string, env []string, argv ...string) *Session {
	t.Helper()
	s := &Session{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	// The pane stays after the program exits, so its last words can be read.
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set-option -g remain-on-exit on\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-f", conf, "new-session", "-d", "-x", "120", "-y", "40", "-s", "e2e", "-c", dir, "env"}
	s.run(append(append(args, env...), argv...)...)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *Session) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Type types text literally.
func (s *Session) Type(text string) { s.run("send-keys", "-t", "e2e", "-l", text) }

// Keys sends tmux key names (Enter, Tab, Escape, C-u, or a character).
func (s *Session) Keys(keys ...string) {
	for _, k := range keys {
		s.run("send-keys", "-t", "e2e", k)
	}
}

// Resize sets the pane's window to cols×rows, as an operator resizing
// the terminal would: the program in it gets SIGWINCH.
func (s *Session) Resize(cols, rows int) {
	s.run("resize-window", "-t", "e2e", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows))
}

// PID is the pid of the pane's program (env execs it, so it is argv's).
func (s *Session) PID() int {
	pid, err := strconv.Atoi(strings.TrimSpace(s.run("display-message", "-p", "-t", "e2e", "#{pane_pid}")))
	if err != nil {
		s.t.Fatalf("tmux pane_pid: %v", err)
	}
	return pid
}

// Screen is what the pane shows, with up to History lines above it.
func (s *Session) Screen() string {
	args := []string{"capture-pane", "-p", "-t", "e2e"}
	if s.History > 0 {
		args = append(args, "-S", "-"+strconv.Itoa(s.History))
	}
	return s.run(args...)
}

// WaitUntil polls the screen until ok holds for it. A real terminal has
// no event to wait on, and each key's effect must show before the next
// is sent (a Bubble Tea program moves between fields in commands); the
// deadline is generous.
func (s *Session) WaitUntil(what string, ok func(screen string) bool) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		screen := s.Screen()
		if ok(screen) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %s:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Wait waits until the screen shows every one of want.
func (s *Session) Wait(want ...string) {
	s.t.Helper()
	s.WaitUntil(fmt.Sprintf("%q", want), func(screen string) bool {
		for _, w := range want {
			if !strings.Contains(screen, w) {
				return false
			}
		}
		return true
	})
}

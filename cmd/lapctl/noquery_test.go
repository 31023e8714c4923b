//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"lapctl/config"
	"lapctl/internal/apitest"
	"lapctl/internal/testutil"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// The real binary on a pseudo-terminal that answers no query (a script,
// expect-style automation, a minimal terminal): a command that opens no
// UI asks the terminal nothing and does not wait for it, and keys typed
// before attach starts reach the session. Bubble Tea v1 queried the
// background at package init, stalling every command 5 s and eating stdin.

// queries are the requests a terminal would have to answer.
var queries = []string{"\x1b]11;?", "\x1b]10;?", "\x1b[6n", "\x1b[c", "\x1b[>c", "\x1b[?u"}

func buildLapctl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lapctl")
	if out, err := exec.Command("go", "build", "-o", bin, "lapctl/cmd/lapctl").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// silentTerm runs bin on a pty whose master side only records: it never
// answers. typed is written to the terminal before bin starts.
type silentTerm struct {
	master *os.File
	screen *testutil.SyncBuffer
	cmd    *exec.Cmd
	start  time.Time
	done   chan error
}

func startSilent(t *testing.T, env []string, typed string, bin string, args ...string) *silentTerm {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	_ = pty.Setsize(master, &pty.Winsize{Cols: 100, Rows: 30})
	if typed != "" {
		// Keys typed ahead wait in the terminal's input queue.
		if _, err := master.WriteString(typed); err != nil {
			t.Fatal(err)
		}
	}
	st := &silentTerm{master: master, screen: &testutil.SyncBuffer{}, done: make(chan error, 1)}
	go func() { _, _ = io.Copy(st.screen, master) }()
	st.cmd = exec.Command(bin, args...)
	st.cmd.Env = append([]string{"TERM=xterm-256color", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	st.cmd.Stdin, st.cmd.Stdout, st.cmd.Stderr = slave, slave, slave
	st.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	st.start = time.Now()
	if err := st.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	go func() { st.done <- st.cmd.Wait() }()
	t.Cleanup(func() {
		_ = st.cmd.Process.Kill()
		<-st.done
	})
	return st
}

// waitFor returns how long after the start the screen first showed want.
func (st *silentTerm) waitFor(t *testing.T, want string, limit time.Duration) time.Duration {
	t.Helper()
	deadline := time.Now().Add(limit + 10*time.Second)
	for !strings.Contains(st.screen.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q; it shows %q", want, st.screen.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(st.start)
}

func (st *silentTerm) checkNoQuery(t *testing.T) {
	t.Helper()
	for _, q := range queries {
		if strings.Contains(st.screen.String(), q) {
			t.Errorf("the command asked the terminal %q: %q", q, st.screen.String())
		}
	}
}

func TestNoQueryBeforeUI(t *testing.T) {
	bin := buildLapctl(t)
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "sh"))
	env := []string{config.EnvBaseURL + "=" + inst.URL, config.EnvMasterKey + "=" + inst.Key}

	t.Run("version", func(t *testing.T) {
		st := startSilent(t, env, "", bin, "version")
		if took := st.waitFor(t, "lapctl ", 200*time.Millisecond); took > 200*time.Millisecond {
			t.Errorf("version printed after %v, want within 200ms", took)
		}
		<-st.done
		st.done <- nil
		st.checkNoQuery(t)
	})

	c := apitest.NewClient(t, inst.URL, inst.Key)
	ctx := context.Background()
	agent, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "shell", Model: "anthropic/claude-sonnet-4-6", Harness: "claude-code", OwnerID: "ops"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("agents list", func(t *testing.T) {
		st := startSilent(t, env, "", bin, "agents", "list")
		if took := st.waitFor(t, "shell", 200*time.Millisecond); took > 200*time.Millisecond {
			t.Errorf("agents list printed after %v, want within 200ms", took)
		}
		st.checkNoQuery(t)
	})

	t.Run("attach with keys typed ahead", func(t *testing.T) {
		if _, err := c.ResumeAgent(ctx, agent.ID); err != nil {
			t.Fatal(err)
		}
		sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: agent.ID})
		if err != nil {
			t.Fatal(err)
		}
		// The shell prints the product, not the typed text: only keys
		// that reached the session, in order, show 6*7 as 42.
		st := startSilent(t, env, "echo typed-$((6*7))-ahead\r", bin, "attach", sess.ID)
		if took := st.waitFor(t, "attached to "+sess.ID, 500*time.Millisecond); took > 500*time.Millisecond {
			t.Errorf("attached after %v, want within 500ms", took)
		}
		st.waitFor(t, "typed-42-ahead", 5*time.Second)
		st.checkNoQuery(t)
	})
}

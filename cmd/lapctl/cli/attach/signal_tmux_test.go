package attach_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"lapctl/internal/testutil"
	"lapctl/internal/tmuxtest"
	"lapctl/spec"
)

// The real binary on a real terminal: SIGTERM exits 143 every time (the
// root's signal context and the attach both hear it; neither may turn it
// into 130), and SIGHUP 129.
func TestAttachSignalExitCodesTmux(t *testing.T) {
	lab := tmuxtest.NewLab(t, "--harness-cmd", "claude-code=sh")
	ctx := context.Background()
	a, err := lab.Client.CreateAgent(ctx, &spec.AgentSpec{Name: "sig", OwnerID: "e2e", Harness: "claude-code"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lab.Client.ResumeAgent(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	s, err := lab.Client.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	for i, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGTERM, syscall.SIGTERM, syscall.SIGHUP} {
		// A shell reports lapctl's status: tmux itself is slow, at
		// times, to reap a pane's process and say it is dead.
		pane := tmuxtest.Start(t, lab.Dir, lab.Env("LITELLM_API_BASE="+lab.URL),
			"sh", "-c", `"$0" attach "$1"; echo "STATUS=$?"`, lab.Bin, s.ID)
		pane.Wait("attached to " + s.ID)
		pane.Type(fmt.Sprintf("echo round-$((%d+1))\r", i))
		pane.Wait(fmt.Sprintf("round-%d", i+1))
		pid := childOf(t, pane.PID())
		if err := syscall.Kill(pid, sig); err != nil {
			t.Fatal(err)
		}
		pane.Wait(fmt.Sprintf("STATUS=%d", 128+int(sig)))
	}
}

// childOf is the one child process of pid (the shell's lapctl).
func childOf(t *testing.T, pid int) int {
	t.Helper()
	var child int
	ok := testutil.Eventually(10*time.Second, func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if err != nil {
			return false
		}
		f := strings.Fields(string(b))
		if len(f) != 1 {
			return false
		}
		child, err = strconv.Atoi(f[0])
		return err == nil
	})
	if !ok {
		t.Fatalf("no child process of the pane's shell %d", pid)
	}
	return child
}

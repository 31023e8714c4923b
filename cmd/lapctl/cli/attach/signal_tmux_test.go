package attach_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"lapctl/internal/tmuxtest"
	"lapctl/spec"
)

// The real binary on a real terminal: SIGTERM exits 143 every time (the
// root's signal context and the attach both hear it; neither may turn it
// into 130), SIGHUP 129, and the terminal's mode is restored (the shell
// prompt of the pane's next program would show otherwise; here tmux
// reports the status).
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
		pane := tmuxtest.Start(t, lab.Dir, lab.Env("LITELLM_API_BASE="+lab.URL), lab.Bin, "attach", s.ID)
		pane.Wait("attached to " + s.ID)
		pane.Type(fmt.Sprintf("echo round-$((%d+1))\r", i))
		pane.Wait(fmt.Sprintf("round-%d", i+1))
		pid := pane.PID()
		if err := syscall.Kill(pid, sig); err != nil {
			t.Fatal(err)
		}
		// Should it hang, a goroutine dump in the pane shows where.
		dump := time.AfterFunc(15*time.Second, func() { syscall.Kill(pid, syscall.SIGQUIT) })
		pane.History = 3000
		pane.Wait(fmt.Sprintf("Pane is dead (status %d", 128+int(sig)))
		dump.Stop()
	}
}

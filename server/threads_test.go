package server_test

import (
	"os"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// threadCount is how many OS threads this process has (Linux).
func threadCount(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: cannot count threads")
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if n, ok := strings.CutPrefix(line, "Threads:"); ok {
			var v int
			for _, c := range strings.TrimSpace(n) {
				v = v*10 + int(c-'0')
			}
			return v
		}
	}
	t.Fatal("no Threads line in /proc/self/status")
	return 0
}

// TestLiveSessionsDoNotHoldAThreadEach: 60 running TUI sessions, each a
// process waiting on its terminal, add far fewer than 60 OS threads to
// the server (the PTY read and the process wait park goroutines).
func TestLiveSessionsDoNotHoldAThreadEach(t *testing.T) {
	const sessions = 60
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "exec sleep 300"))
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "many", Harness: "claude-code"})
	before := threadCount(t)
	var ids []string
	for range sessions {
		ids = append(ids, c.startSession(spec.SessionSpec{AgentID: a.ID}).ID)
	}
	for _, id := range ids {
		c.waitStatus(id, spec.SessionRunning)
	}
	after := threadCount(t)
	if after-before >= sessions/2 {
		t.Fatalf("%d live sessions took %d → %d threads", sessions, before, after)
	}
	t.Logf("%d live sessions: %d → %d threads", sessions, before, after)
	for _, id := range ids {
		c.call("DELETE", "/session/"+id, nil, 200, nil)
	}
}

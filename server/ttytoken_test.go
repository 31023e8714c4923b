package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// The database holds only a hash of each tty token: a copy of it opens no
// terminal. The token still opens its live session's terminal, and an
// ended session's token still gets the honest 409.
func TestTTYTokensAreStoredHashed(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "/bin/sh"))
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "tty", Harness: "claude-code"})
	s := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID}).ID, spec.SessionRunning)
	if len(s.TTYToken) != 64 {
		t.Fatalf("GET shows no usable token: %q", s.TTYToken)
	}
	conn := attach(t, inst, s)
	typeInto(t, conn, "exit 0\r")
	conn.Close()
	c.waitStatus(s.ID, spec.SessionExited)
	if status, body := dialStatus(t, wsURL(inst, s, s.TTYToken), nil); status != http.StatusConflict {
		t.Errorf("ended session with its token: %d %s", status, body)
	}
	if status, _ := dialStatus(t, wsURL(inst, s, strings.Repeat("0", 64)), nil); status != http.StatusUnauthorized {
		t.Errorf("ended session with a wrong token: %d", status)
	}
	inst.Close()
	for _, name := range []string{"lapctl.db", "lapctl.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(inst.DataDir, name))
		if strings.Contains(string(b), s.TTYToken) {
			t.Errorf("%s holds the tty token in clear", name)
		}
	}
}

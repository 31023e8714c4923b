package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// A session's directory (its sandbox files, often secrets) goes when the
// session goes: deleted itself, or with its agent, live or ended.
func TestDeletedSessionsLeaveNoDirectory(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, probeHarness, servertest.WithHarnessCmd("claude-code", "exit 0"))
	c := newClient(t, inst)
	dirOf := func(id string) string { return filepath.Join(inst.DataDir, "sessions", id) }
	gone := func(id string) bool { _, err := os.Stat(dirOf(id)); return os.IsNotExist(err) }

	a := c.activeAgent(spec.AgentSpec{Name: "secretive", Harness: "opencode",
		SandboxFiles: []spec.SandboxFile{file("creds", "~/.creds", "s3cr3t")}})
	live := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID}).ID, spec.SessionIdle)
	deleted := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID}).ID, spec.SessionIdle)
	tui := c.activeAgent(spec.AgentSpec{Name: "brief", Harness: "claude-code"})
	ended := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: tui.ID}).ID, spec.SessionExited)
	for _, s := range []spec.Session{live, deleted, ended} {
		if gone(s.ID) {
			t.Fatalf("session %s has no directory to begin with", s.ID)
		}
	}

	c.call("DELETE", "/session/"+deleted.ID, nil, http.StatusOK, nil)
	if !gone(deleted.ID) {
		t.Error("a deleted session's directory is still there")
	}
	c.call("DELETE", "/api/agents/"+a.ID, nil, http.StatusOK, nil)
	c.call("DELETE", "/api/agents/"+tui.ID, nil, http.StatusOK, nil)
	if !gone(live.ID) {
		t.Error("a live session's directory outlived its agent")
	}
	if !gone(ended.ID) {
		t.Error("an ended session's directory outlived its agent")
	}
}

// Directories left without a session (a crash between delete and
// cleanup) are swept when the server starts; kept sessions keep theirs.
func TestOrphanSessionDirsAreSweptAtStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := servertest.Start(t, servertest.WithDataDir(dir), probeHarness)
	c := newClient(t, first)
	a := c.activeAgent(spec.AgentSpec{Name: "keeper", Harness: "opencode"})
	kept := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID}).ID, spec.SessionIdle)
	first.Close()
	orphan := filepath.Join(dir, "sessions", "ses_orphan0000000000")
	if err := os.MkdirAll(filepath.Join(orphan, "home"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(orphan, "home", "token"), []byte("left behind"), 0o600); err != nil {
		t.Fatal(err)
	}
	servertest.Start(t, servertest.WithDataDir(dir))
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan session dir survived a start: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sessions", kept.ID)); err != nil {
		t.Errorf("a kept session lost its directory: %v", err)
	}
}

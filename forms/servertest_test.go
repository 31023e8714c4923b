package forms

import (
	"context"
	"encoding/base64"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// realServer starts the embedded platform (an API harness that echoes)
// and returns a client for it, and a skill of owner "me".
func realServer(t *testing.T) (*client.Client, *spec.Skill) {
	t.Helper()
	inst := servertest.Start(t, servertest.WithHarnessCmd("opencode", "cat"))
	c := apitest.NewClient(t, inst.URL, inst.Key)
	sk, err := c.CreateSkill(context.Background(), &spec.SkillSpec{Name: "review", Description: "Review carefully", Content: "Read every hunk.", OwnerID: "me"})
	if err != nil {
		t.Fatal(err)
	}
	return c, sk
}

// checkStored compares a stored agent's text fields with want, by their
// JSON names ("env KEY" for an env var).
func checkStored(t *testing.T, a *spec.Agent, want map[string]string) {
	t.Helper()
	got := map[string]string{
		"name": a.Name, "owner_id": a.OwnerID, "description": a.Description, "harness": a.Harness,
		"model": a.Model, "system": a.System, "status": a.Status, "repo_url": a.RepoURL,
		"branch": a.Branch, "requirements": a.Requirements,
	}
	for k, v := range a.EnvVars {
		got["env "+k] = v
	}
	for _, field := range slices.Sorted(maps.Keys(want)) {
		if got[field] != want[field] {
			t.Errorf("%s = %q, want %q", field, got[field], want[field])
		}
	}
}

// TestRealServerCreateAndEdit builds an agent with env vars, a skill and
// a file against the real server, checks what it stored field by field,
// starts a session, then edits the agent and checks the PATCH kept the
// stored file without re-uploading it.
func TestRealServerCreateAndEdit(t *testing.T) {
	c, sk := realServer(t)
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# Notes\n"), 0o644)
	d := newDriver(t, Options{Client: c, OwnerID: "me", StartDir: dir})

	d.typeText("real-agent")
	d.press("enter", "enter")
	d.typeText("made by the builder")
	d.press("enter")
	d.see("Step 2 of 10", "opencode [API]", "Claude Code (claude-code) [TUI]")
	d.press("enter")
	d.see("Step 3 of 10", "anthropic/claude-sonnet-4-6")
	d.press("enter")
	d.typeText("Be careful.")
	d.press("enter", "tab")
	d.see("Step 5 of 10", "review - Review carefully")
	d.press("space")
	d.see("<!-- skill:" + sk.ID + " --> Read every hunk.")
	d.press("enter")
	d.press("a")
	d.typeText("GITHUB_TOKEN=ghp_realsecret")
	d.press("enter", "a")
	d.typeText("LOG_LEVEL=debug")
	d.press("enter", "tab")
	d.press("a", "enter", "enter", "tab")
	d.see("Step 8 of 10")
	d.typeText("https://github.com/acme/app")
	d.press("enter", "enter")
	d.typeText("pytest==8.3.3")
	d.press("enter", "tab")
	d.typeText("github")
	d.press("enter")
	d.typeText("github.com, pypi.org")
	d.press("enter", "enter")
	d.see("What now?")
	d.press("enter")
	d.see("✓ Created agent agent_", "status: paused")
	d.press("down", "enter")
	done := d.emitted().(DoneMsg)
	if done.Result.Next != NextSession || done.Result.Session == nil || done.Result.Session.AgentID != done.Result.Agent.ID {
		t.Fatalf("result %+v", done.Result)
	}

	a, err := c.GetAgent(ctx, done.Result.Agent.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkStored(t, a, map[string]string{
		"name": "real-agent", "owner_id": "me", "description": "made by the builder", "harness": "opencode",
		"model": "anthropic/claude-sonnet-4-6", "system": "Be careful.", "status": spec.StatusActive,
		"repo_url": "https://github.com/acme/app", "branch": "main", "requirements": "pytest==8.3.3",
		"env GITHUB_TOKEN": "ghp_realsecret", "env LOG_LEVEL": "debug",
	})
	if len(a.EnvVars) != 2 || !slices.Equal(a.SkillIDs, []string{sk.ID}) || !slices.Equal(a.MCPServers, []string{"github"}) ||
		!slices.Equal(a.AllowOut, []string{"github.com", "pypi.org"}) || len(a.DenyOut) != 0 {
		t.Errorf("env %v skills %v mcp %v allow %v deny %v", len(a.EnvVars), a.SkillIDs, a.MCPServers, a.AllowOut, a.DenyOut)
	}
	if len(a.SandboxFiles) != 1 || a.SandboxFiles[0].Name != "notes.md" || a.SandboxFiles[0].SandboxPath != "~/notes.md" || a.SandboxFiles[0].Size != 8 {
		t.Errorf("files = %+v", a.SandboxFiles)
	}

	// Edit: change the description and add a file; the stored one is kept
	// without its content being sent again.
	os.WriteFile(filepath.Join(dir, "more.txt"), []byte("more"), 0o644)
	e := newDriver(t, Options{Client: c, Edit: a, StartDir: dir})
	e.press("enter", "enter")
	e.clear()
	e.typeText("edited")
	e.press("enter")
	walkRest(e, stepHarness)
	e.press("down", "enter")
	for range 6 {
		e.press("down")
	}
	e.press("enter")
	e.press("a", "enter", "enter", "tab") // more.txt sorts first
	e.see("Will change: description, sandbox_files")
	e.press("enter")
	e.see("✓ Saved agent " + a.ID)
	a2, err := c.GetAgent(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a2.Description != "edited" || a2.Name != "real-agent" || a2.EnvVars["GITHUB_TOKEN"] != "ghp_realsecret" || len(a2.SandboxFiles) != 2 {
		t.Fatalf("after edit: %+v", a2)
	}
	for _, f := range a2.SandboxFiles {
		if f.SandboxPath == "~/notes.md" && f.Size != 8 {
			t.Errorf("the kept file lost its content: %+v", f)
		}
	}
}

// TestRealServer400JumpsBack: the real server refuses an unknown harness
// with its field; the builder opens the harness step with its message.
func TestRealServer400JumpsBack(t *testing.T) {
	c, _ := realServer(t)
	d := newDriver(t, Options{Client: c, Initial: &spec.AgentSpec{
		Name: "x", OwnerID: "me", Harness: "no-such-harness",
		SandboxFiles: []spec.SandboxFile{{Name: "a.txt", SandboxPath: "~/a.txt", Content: base64.StdEncoding.EncodeToString([]byte("a")), Size: 1}},
	}})
	d.press("enter", "enter", "enter")
	d.see("> no-such-harness [API] - not offered by this server")
	walkRest(d, stepHarness)
	d.press("enter")
	d.see("Step 2 of 10: Harness", "✗ Server: harness:", "no-such-harness")
	d.press("up", "enter") // choose a real one; back to the review
	d.see("What now?")
	d.press("enter")
	d.see("✓ Created agent")
}

// TestRealServer401 uses a wrong key against the real server.
func TestRealServer401(t *testing.T) {
	inst := servertest.Start(t)
	c, _ := client.New(client.Options{BaseURL: inst.URL, APIKey: "sk-wrong", Retries: -1})
	d := newDriver(t, Options{Client: c, Initial: &spec.AgentSpec{Name: "x", OwnerID: "me"}})
	d.press("enter", "enter", "enter")
	d.see("Could not list the server's harnesses")
	walkRest(d, stepHarness)
	d.press("enter")
	d.see("✗ The server refused the key (401 Unauthorized). Log in with: lapctl login")
}

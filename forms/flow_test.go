package forms

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lapctl/spec"
)

// walkToEnv fills basics, harness, model, prompt and skills with defaults
// and stops on the env step.
func walkToEnv(t *testing.T, d *driver) {
	t.Helper()
	d.typeText("my-agent")
	d.press("enter", "enter", "enter")
	d.waitFor("Step 2 of 10")
	d.press("enter")
	d.waitFor("Step 3 of 10")
	d.press("enter")
	d.waitFor("Step 4 of 10")
	d.press("enter", "tab")
	d.waitFor("Step 5 of 10")
	d.press("enter")
	d.waitFor("Step 6 of 10")
}

func TestCreateEveryStep(t *testing.T) {
	srv := newFakeServer(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# Notes\nhello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: dir})

	d.see("Step 1 of 10", "Name", "Owner id", "> me")
	d.typeText("reviewer")
	d.press("enter", "enter")
	d.typeText("Reviews pull requests")
	d.press("enter")

	d.waitFor("Step 2 of 10: Harness")
	d.see("Claude Code (claude-code) [TUI] - Claude Code CLI with PTY", "opencode [API]", "My Alias (my-alias) [API]")
	d.press("down", "down", "enter")

	d.waitFor("Step 3 of 10: Model")
	d.see("anthropic/claude-sonnet-4-6", "Other: type a model id")
	d.press("down", "enter")

	d.waitFor("Step 4 of 10: System prompt")
	d.typeText("Be careful.")
	d.press("enter", "tab")

	d.waitFor("Step 5 of 10: Skills")
	d.see("review - Review diffs carefully", "tests - Always run the tests", "No skills chosen")
	d.press("space")
	d.see("<!-- skill:skill_review --> Read every hunk.")
	d.press("enter")

	d.waitFor("Step 6 of 10: Environment variables")
	d.press("a")
	d.typeText("GITHUB_TOKEN=ghp_secretvalue")
	d.see("Key", "> GITHUB_TOKEN", "1/50 keys")
	d.notSee("ghp_secretvalue")
	d.press("enter")
	d.see("GITHUB_TOKEN", "••••••••", "1/50 keys · 34/16,384 bytes JSON")
	d.notSee("ghp_secretvalue")
	d.press("tab")

	d.waitFor("Step 7 of 10: Sandbox files")
	d.press("a")
	d.waitFor("notes.md")
	d.press("enter")
	d.waitFor("Sandbox path for notes.md")
	d.see("> ~/notes.md")
	d.press("enter")
	d.see("notes.md", "~/notes.md", "1/20 files")
	d.press("tab")

	d.waitFor("Step 8 of 10: Repository")
	d.typeText("https://github.com/example/service")
	d.press("enter", "enter")

	d.waitFor("Step 9 of 10: Python requirements")
	d.typeText("pytest==8.3.3")
	d.press("enter", "tab")

	d.waitFor("Step 10 of 10: MCP servers")
	d.typeText("github")
	d.press("enter")
	d.typeText("github.com, pypi.org,github.com")
	d.press("enter")
	d.see("1 MCP server (github)", "2 allowed (github.com, pypi.org)", "no blocked")
	d.press("enter")

	d.waitFor("What now?")
	v := d.view()
	d.press("pgdown")
	v += d.view()
	for _, want := range []string{"name: reviewer", "harness: claude-code", "model: anthropic/claude-opus-4-5", "GITHUB_TOKEN: ••••••••", "env vars 1/50"} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "ghp_secretvalue") {
		t.Fatalf("review shows the secret:\n%s", v)
	}
	d.press("enter")
	d.waitFor("✓ Created agent agent_1")
	d.see("status: paused", "Start a session (resumes the paused agent first)", "Start a session and attach to it")
	d.press("down", "down", "enter")
	out := d.emitted()
	done, ok := out.(DoneMsg)
	if !ok {
		t.Fatalf("builder sent %T, want DoneMsg", out)
	}
	if done.Result.Next != NextAttach || done.Result.Session == nil || done.Result.Session.TTYURL == "" {
		t.Fatalf("result = %+v, want NextAttach with a TUI session", done.Result)
	}
	if done.Result.Agent.Status != spec.StatusActive {
		t.Errorf("agent status = %q after resume, want active", done.Result.Agent.Status)
	}

	a := srv.agent("agent_1")
	checks := map[string][2]string{
		"name":         {a.Name, "reviewer"},
		"owner":        {a.OwnerID, "me"},
		"description":  {a.Description, "Reviews pull requests"},
		"harness":      {a.Harness, "claude-code"},
		"model":        {a.Model, "anthropic/claude-opus-4-5"},
		"system":       {a.System, "Be careful."},
		"repo":         {a.RepoURL, "https://github.com/example/service"},
		"branch":       {a.Branch, "main"},
		"requirements": {a.Requirements, "pytest==8.3.3"},
		"env":          {a.EnvVars["GITHUB_TOKEN"], "ghp_secretvalue"},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", what, c[0], c[1])
		}
	}
	if !slices.Equal(a.SkillIDs, []string{"skill_review"}) || !slices.Equal(a.MCPServers, []string{"github"}) ||
		!slices.Equal(a.AllowOut, []string{"github.com", "pypi.org"}) || len(a.DenyOut) != 0 {
		t.Errorf("lists: skills %v mcp %v allow %v deny %v", a.SkillIDs, a.MCPServers, a.AllowOut, a.DenyOut)
	}
	if len(a.SandboxFiles) != 1 || a.SandboxFiles[0].SandboxPath != "~/notes.md" || a.SandboxFiles[0].Size != 14 {
		t.Errorf("files = %+v", a.SandboxFiles)
	}
}

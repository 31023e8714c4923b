package forms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/internal/tmuxtest"
	"lapctl/spec"
)

// TestEndToEndTmux runs the real lapctl binary in tmux against `lapctl
// serve` on a free loopback port: `lapctl agents create` opens the
// builder, keys are typed with send-keys and screens read with
// capture-pane, and the agent (env vars, a skill, a file) is then checked
// field by field through the client.
func TestEndToEndTmux(t *testing.T) {
	lab := tmuxtest.NewLab(t)
	c := lab.Client
	ctx := context.Background()
	sk, err := c.CreateSkill(ctx, &spec.SkillSpec{Name: "review", Description: "Review carefully", Content: "Read every hunk.", OwnerID: "me"})
	if err != nil {
		t.Fatal(err)
	}

	cwd := filepath.Join(lab.Dir, "cwd")
	os.Mkdir(cwd, 0o755)
	os.WriteFile(filepath.Join(cwd, "notes.md"), []byte("# Notes\nhello\n"), 0o644)
	tm := builderPane{tmuxtest.Start(t, cwd, lab.Env("LITELLM_API_BASE="+lab.URL), lab.Bin, "agents", "create"), t}
	tm.History = 100

	tm.wait("Step 1 of 10")
	tm.Type("e2e-agent")
	tm.Keys("Enter")
	tm.wait("┃ Owner id")
	tm.Type("me")
	tm.Keys("Enter")
	tm.wait("┃ Description")
	tm.Type("made in tmux")
	tm.Keys("Enter")
	tm.wait("Step 2 of 10")
	tm.Keys("Down", "Down")
	tm.wait("> Claude Code (claude-code) [TUI]")
	tm.Keys("Enter")
	tm.wait("Step 3 of 10")
	tm.Keys("Enter")
	tm.wait("Step 4 of 10")
	tm.Type("Be careful.")
	tm.Keys("Enter")
	tm.wait("┃ Or load the prompt")
	tm.Keys("Tab")
	tm.wait("review - Review carefully")
	tm.Keys("Space")
	tm.wait("<!-- skill:" + sk.ID + " -->")
	tm.Keys("Enter")
	tm.wait("Step 6 of 10")
	tm.Keys("a")
	tm.wait("Add an environment variable")
	tm.Type("GIT_TOKEN")
	tm.wait("GITHUB_TOKEN or GH_TOKEN") // the reserved-key hint, as typed
	tm.Keys("C-u")
	tm.Type("GITHUB_TOKEN=ghp_e2esecret")
	tm.Keys("Enter")
	tm.wait("Environment variables  1/50 keys")
	tm.Keys("a")
	tm.wait("Add an environment variable")
	tm.Type("LOG_LEVEL=debug")
	tm.Keys("Enter")
	tm.wait("Environment variables  2/50 keys")
	if strings.Contains(tm.Screen(), "ghp_e2esecret") {
		t.Fatalf("the secret is on screen:\n%s", tm.Screen())
	}
	tm.Keys("Tab")
	tm.wait("Step 7 of 10")
	tm.Keys("a")
	tm.wait("notes.md")
	tm.Keys("Enter")
	tm.wait("Sandbox path for notes.md")
	tm.Keys("Enter")
	tm.wait("Sandbox files  1/20 files")
	tm.Keys("Tab")
	tm.wait("Step 8 of 10")
	tm.Type("https://github.com/acme/app")
	tm.Keys("Enter")
	tm.wait("┃ Branch")
	tm.Keys("Enter")
	tm.wait("Step 9 of 10")
	tm.Keys("Enter")
	tm.wait("┃ Or load a requirements")
	tm.Keys("Tab")
	tm.wait("Step 10 of 10")
	tm.Type("github")
	tm.Keys("Enter")
	tm.wait("┃ Allowed")
	tm.Type("github.com")
	tm.Keys("Enter")
	tm.wait("┃ Blocked")
	tm.Keys("Enter")
	tm.wait("What now?")
	if strings.Contains(tm.Screen(), "ghp_e2esecret") {
		t.Fatalf("the review shows the secret:\n%s", tm.Screen())
	}
	tm.Keys("Enter")
	tm.wait("Created agent agent_")
	tm.Keys("Enter") // Done
	tm.wait("✓ Created agent")

	page, err := c.ListAgents(ctx, client.ListAgentsParams{Search: "e2e-agent"})
	if err != nil || len(page.Agents) != 1 {
		t.Fatalf("agents: %v %+v", err, page)
	}
	a, err := c.GetAgent(ctx, page.Agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	checkStored(t, a, map[string]string{
		"name": "e2e-agent", "owner_id": "me", "description": "made in tmux", "harness": "claude-code",
		"model": "anthropic/claude-sonnet-4-6", "system": "Be careful.", "status": spec.StatusPaused,
		"repo_url": "https://github.com/acme/app", "branch": "main", "env GITHUB_TOKEN": "ghp_e2esecret",
		"env LOG_LEVEL": "debug",
	})
	if len(a.EnvVars) != 2 || !slices.Equal(a.SkillIDs, []string{sk.ID}) || !slices.Equal(a.MCPServers, []string{"github"}) ||
		!slices.Equal(a.AllowOut, []string{"github.com"}) || len(a.DenyOut) != 0 || a.Requirements != "" || !a.SupportsTUI {
		t.Errorf("stored agent: %+v", a)
	}
	if len(a.SandboxFiles) != 1 || a.SandboxFiles[0].Name != "notes.md" || a.SandboxFiles[0].SandboxPath != "~/notes.md" || a.SandboxFiles[0].Size != 14 {
		t.Errorf("files = %+v", a.SandboxFiles)
	}
}

// builderPane waits as the builder needs: "┃" marks the focused field,
// so a want holding it is matched exactly; other text may be wrapped.
type builderPane struct {
	*tmuxtest.Session
	t *testing.T
}

func (tm builderPane) wait(want string) {
	tm.t.Helper()
	tm.WaitUntil(fmt.Sprintf("%q", want), func(s string) bool {
		return strings.Contains(s, want) || (!strings.Contains(want, "┃") && shows(s, want))
	})
}

// TestEndToEndTmuxPickerWalksUp: in the real binary, the file picker goes
// up from the folder lapctl was started in and adds ../notes.md, then
// takes a typed ~/.ssh/config completed with tab; both are stored with
// sandbox paths from their names.
func TestEndToEndTmuxPickerWalksUp(t *testing.T) {
	lab := tmuxtest.NewLab(t)
	work := filepath.Join(lab.Dir, "work")
	cwd := filepath.Join(work, "proj")
	os.MkdirAll(cwd, 0o755)
	os.MkdirAll(filepath.Join(lab.Dir, ".ssh"), 0o700)
	os.WriteFile(filepath.Join(work, "notes.md"), []byte("up one\n"), 0o644)
	os.WriteFile(filepath.Join(lab.Dir, ".ssh", "config"), []byte("Host *\n"), 0o600)
	tm := builderPane{tmuxtest.Start(t, cwd, lab.Env("LITELLM_API_BASE="+lab.URL), lab.Bin, "agents", "create"), t}

	tm.wait("Step 1 of 10")
	tm.Type("walker")
	tm.Keys("Enter")
	tm.wait("┃ Owner id")
	tm.Type("me")
	tm.Keys("Enter", "Enter")
	tm.wait("Step 2 of 10")
	tm.Keys("Enter")
	tm.wait("Step 3 of 10")
	tm.Keys("Enter")
	tm.wait("Step 4 of 10")
	tm.Keys("Enter")
	tm.wait("┃ Or load the prompt")
	tm.Keys("Tab")
	tm.wait("Step 5 of 10")
	tm.Keys("Enter")
	tm.wait("Step 6 of 10")
	tm.Keys("Tab")
	tm.wait("Step 7 of 10")
	tm.Keys("a")
	tm.wait("~/work/proj")
	tm.Keys("h")
	tm.wait("notes.md")
	tm.wait("~/work")
	tm.Keys("Down", "Enter") // proj/ (the cursor), notes.md
	tm.wait("Sandbox path for notes.md")
	tm.Keys("Enter")
	tm.wait("Sandbox files  1/20 files")
	tm.Keys("a", "p")
	tm.wait("path:")
	tm.Type("~/.ssh/con")
	tm.Keys("Tab")
	tm.wait("path: ~/.ssh/config")
	tm.Keys("Enter")
	tm.wait("Sandbox path for config")
	tm.Keys("Enter")
	tm.wait("Sandbox files  2/20 files")
	tm.Keys("Tab")
	tm.wait("Step 8 of 10")
	tm.Keys("Enter")
	tm.wait("┃ Branch")
	tm.Keys("Enter")
	tm.wait("Step 9 of 10")
	tm.Keys("Enter")
	tm.wait("┃ Or load a requirements")
	tm.Keys("Tab")
	tm.wait("Step 10 of 10")
	tm.Keys("Enter")
	tm.wait("┃ Allowed")
	tm.Keys("Enter")
	tm.wait("┃ Blocked")
	tm.Keys("Enter")
	tm.wait("What now?")
	tm.Keys("Enter")
	tm.wait("Created agent agent_")

	ctx := context.Background()
	page, err := lab.Client.ListAgents(ctx, client.ListAgentsParams{Search: "walker"})
	if err != nil || len(page.Agents) != 1 {
		t.Fatalf("agents: %v %+v", err, page)
	}
	a, err := lab.Client.GetAgent(ctx, page.Agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.SandboxFiles) != 2 || a.SandboxFiles[0].SandboxPath != "~/notes.md" || a.SandboxFiles[0].Size != 7 ||
		a.SandboxFiles[1].SandboxPath != "~/config" || a.SandboxFiles[1].Size != 7 {
		t.Fatalf("files = %+v", a.SandboxFiles)
	}
}

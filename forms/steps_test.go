package forms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/human"
	"lapctl/spec"
)

func TestBasicsRequiredFields(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t)})
	d.notSee("✗") // nothing typed, nothing tried: no complaint yet
	d.press("enter")
	d.see("Step 1 of 10", "✗ name is required: give the agent a non-blank name")
	d.typeText("   ")
	d.press("enter")
	d.see("Step 1 of 10", "✗ name is required")
	d.clear()
	d.typeText("ok-name")
	d.notSee("✗ name")
	d.press("enter", "enter")
	d.see("Step 1 of 10", "✗ owner_id is required: set the owner (e.g. lapctl login sets a default)")
	d.typeText("someone")
	d.press("enter", "enter")
	d.see("Step 2 of 10")
	if d.b.d.Name != "ok-name" || d.b.d.OwnerID != "someone" {
		t.Fatalf("draft = %+v", d.b.d)
	}
}

func TestShiftTabGoesBackAStepKeepingValues(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me"})
	d.typeText("keep-me")
	d.press("enter", "enter", "enter")
	d.see("Step 2 of 10")
	d.press("down", "down") // claude-code, not yet confirmed
	d.press("shift+tab")
	d.see("Step 1 of 10", "> keep-me")
	d.press("shift+tab") // first step: stays
	d.see("Step 1 of 10", "This is the first step.")
	d.press("enter", "enter", "enter")
	d.see("Step 2 of 10", "> Claude Code (claude-code) [TUI]")
}

func TestRepoURLCheckedAsTyped(t *testing.T) {
	d := envDriver(t, nil)
	d.press("tab", "tab")
	d.see("Step 8 of 10: Repository")
	for _, c := range []struct{ typed, msg string }{
		{"github.com/org/repo", `✗ repo_url "github.com/org/repo" is not a valid git URL: use https://host/org/repo(.git) or an ssh address such as git@host:org/repo.git`},
		{"ftp://host/org/repo", `✗ repo_url "ftp://host/org/repo" is not a valid git URL`},
		{"https://github.com", `✗ repo_url "https://github.com" is not a valid git URL`},
		{"https://host/a b", `✗ repo_url "https://host/a b" is not a valid git URL`},
		{"git@github.com:org/r.g", ""},
		{"https://github.com/o/r", ""},
	} {
		d.clear()
		d.typeText(c.typed)
		if c.msg == "" {
			d.notSee("✗")
			continue
		}
		d.see(c.msg)
		d.press("enter")
		d.see("Step 8 of 10", "> "+c.typed) // refused, still on the URL
	}
	d.press("enter")
	d.see("Branch", "> main")
	d.clear()
	d.press("enter")
	d.see("Step 9 of 10")
	if s := d.b.d.toSpec(); s.RepoURL != "https://github.com/o/r" || s.Branch != spec.DefaultBranch {
		t.Fatalf("repo %q branch %q: a blank branch is main", s.RepoURL, s.Branch)
	}
}

func TestNoRepoSendsNoBranch(t *testing.T) {
	d := &draft{Name: "x", OwnerID: "y", Branch: "main"}
	if s := d.toSpec(); s.Branch != "" {
		t.Fatalf("branch %q sent without a repo", s.Branch)
	}
}

func TestModelFreeText(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", DefaultModel: "anthropic/claude-opus-4-5"})
	d.typeText("m")
	d.press("enter", "enter", "enter", "enter")
	d.see("Step 3 of 10: Model", "> anthropic/claude-opus-4-5") // the config's default is preselected
	d.press("/")
	d.typeText("codex")
	d.see("openai/gpt-5-codex")
	d.notSee("anthropic/claude-opus-4-5")
	d.press("esc", "esc")
	d.press("up") // wraps to the last option: Other
	d.press("enter")
	d.see("Model id")
	d.typeText("ollama/llama3")
	d.press("enter")
	d.see("Step 4 of 10")
	if got := d.b.d.toSpec().Model; got != "ollama/llama3" {
		t.Fatalf("model = %q", got)
	}
	// Back on the model step the free text is still there.
	d.press("shift+tab")
	d.see("Step 3 of 10", "> Other: type a model id")
}

func TestModelsUnavailableMeansFreeText(t *testing.T) {
	srv := newFakeServer(t)
	srv.failNext("GET /v1/models", 500, `{"error":{"type":"server_error","message":"model list broke"}}`)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", DefaultModel: "my/model"})
	d.typeText("m")
	d.press("enter", "enter", "enter", "enter")
	d.see("Model id", "Could not list models", "model list broke", "> my/model")
}

func TestHarnessFallsBackToBuiltins(t *testing.T) {
	srv := newFakeServer(t)
	srv.failNext("GET /api/harnesses", 500, `{"error":{"type":"server_error","message":"boom"}}`)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me"})
	d.typeText("m")
	d.press("enter", "enter", "enter")
	d.see("Could not list the server's harnesses", "these are the built-in four",
		"opencode [API]", "Claude Agent SDK (claude-agent-sdk) [API]", "Claude Code (claude-code) [TUI]", "Codex (codex) [TUI]")
	d.notSee("my-alias")

	// A server without the [ext] endpoint (404) still lists its aliases.
	srv2 := newFakeServer(t)
	srv2.noHarnes = true
	d = newDriver(t, Options{Client: srv2.client(t), OwnerID: "me"})
	d.typeText("m")
	d.press("enter", "enter", "enter")
	d.see("Codex (codex) [TUI]", "My Alias (my-alias) [API] - registered harness (openai)")
	d.notSee("Could not list")
}

func TestHarnessFromSpecNotOffered(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", Initial: &spec.AgentSpec{Name: "x", Harness: "mystery"}})
	d.press("enter", "enter", "enter")
	d.see("> mystery [API] - not offered by this server")
}

func TestSkillsNoneForOwner(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "nobody"})
	d.typeText("m")
	d.press("enter", "enter", "enter", "enter", "enter", "enter", "tab")
	d.see("Step 5 of 10: Skills", `No skills belong to owner "nobody"`, "lapctl skills create")
	d.press("enter")
	d.see("Step 6 of 10")
}

func TestSkillsFollowOwnerChange(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "nobody"})
	d.typeText("m")
	d.press("enter")
	d.clear()
	d.typeText("me")
	d.press("enter", "enter", "enter", "enter", "enter", "tab")
	d.see("Step 5 of 10: Skills", "review - Review diffs carefully")
	d.press("down", "space", "up", "space")
	d.see("<!-- skill:skill_review --> Read every hunk.", "<!-- skill:skill_tests --> Run go test ./...")
	if strings.Join(d.b.d.SkillIDs, ",") != "skill_review,skill_tests" {
		t.Fatalf("skills = %v", d.b.d.SkillIDs)
	}
}

func TestSystemPromptLoadErrorsKeepText(t *testing.T) {
	srv := newFakeServer(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a-binary.bin"), []byte{0xff, 0xfe, 0x00}, 0o644)
	os.WriteFile(filepath.Join(dir, "b-big.txt"), make([]byte, maxTextFile+1), 0o644)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: dir})
	d.typeText("m")
	d.press("enter", "enter", "enter", "enter", "enter")
	d.see("Step 4 of 10: System prompt")
	d.typeText("typed by hand")
	d.press("enter", "enter", "enter") // open the picker, pick a-binary.bin
	d.see("✗ Could not load "+filepath.Join(dir, "a-binary.bin")+": it is not UTF-8 text", "typed by hand")
	d.press("enter", "enter", "down", "enter") // b-big.txt
	d.see("b-big.txt: it is 1,048,577 bytes; a text file to load here must be at most 1,048,576 bytes (1 MiB)", "typed by hand")
	if d.b.d.System != "typed by hand" {
		t.Fatalf("system = %q", d.b.d.System)
	}
}

func TestNetworkListsTrimmedAndDeduped(t *testing.T) {
	for in, want := range map[string]string{
		" a.com , b.com\nb.com\n\n, c.com ": "a.com|b.com|c.com",
		"":                                  "",
		"one":                               "one",
	} {
		if got := strings.Join(parseList(in), "|"); got != want {
			t.Errorf("parseList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStepForField(t *testing.T) {
	for field, want := range map[string]stepID{
		"name": stepBasics, "owner_id": stepBasics, "harness": stepHarness, "model": stepModel,
		"system": stepSystem, "skill_ids": stepSkills, "env_vars": stepEnv, "env_vars.FOO": stepEnv,
		"sandbox_files": stepFiles, "sandbox_files[2].sandbox_path": stepFiles, "repo_url": stepRepo,
		"branch": stepRepo, "requirements": stepRequirements, "mcp_servers": stepNetwork, "deny_out": stepNetwork,
	} {
		if got, ok := stepForField(field); !ok || got != want {
			t.Errorf("stepForField(%q) = %v, %v; want %v", field, got, ok, want)
		}
	}
	if _, ok := stepForField("tools"); ok {
		t.Error("tools has no step")
	}
}

func TestParseDotEnvErrors(t *testing.T) {
	if _, err := parseDotEnv("OK=1\nno equals here\n"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v", err)
	}
}

func TestFmtInt(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 16384: "16,384", 10485760: "10,485,760", -1234: "-1,234"} {
		if got := human.Count(n); got != want {
			t.Errorf("human.Count(%d) = %q", n, got)
		}
	}
}

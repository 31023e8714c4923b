package agents_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/spec"
)

func agentCount(t *testing.T, e *clitest.Env) int {
	t.Helper()
	page, err := e.Client().ListAgents(context.Background(), client.ListAgentsParams{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

func TestCreateEveryFlag(t *testing.T) {
	e := clitest.New(t)
	skill, err := e.Client().CreateSkill(context.Background(), &spec.SkillSpec{Name: "review", Content: "Review carefully.", OwnerID: clitest.Owner})
	if err != nil {
		t.Fatal(err)
	}
	system := writeFile(t, "prompt.md", "You review Go.\n")
	reqs := writeFile(t, "requirements.txt", "requests==2.32.0\n")
	envFile := writeFile(t, ".env", "# comment\nexport FROM_FILE=one\nOVERRIDDEN='file'\n")
	notes := writeFile(t, "notes.md", "# Notes\n")
	data := writeFile(t, "data.json", `{"a":1}`)

	var a spec.Agent
	e.JSON(&a, "agents", "create", "--json",
		"--name", "reviewer", "--description", "Reviews PRs", "--harness", "claude-code",
		"--system-file", system, "--prompt", "fallback", "--runtime", "local",
		"--config", `{"temperature":0.2}`, "--tools", `["bash"]`,
		"--requirements-file", reqs, "--repo-url", "https://github.com/acme/app",
		"--mcp", "github,linear", "--mcp", "slack", "--allow-out", "github.com", "--deny-out", "evil.example",
		"--env-file", envFile, "--env", "OVERRIDDEN=flag", "--env", "GITHUB_TOKEN=ghp_secret",
		"--skill", "review",
		"--file", notes+":~/notes.md", "--file", data+":/etc/app/data.json")

	checks := []struct {
		field     string
		got, want any
	}{
		{"name", a.Name, "reviewer"},
		{"owner_id (from config)", a.OwnerID, clitest.Owner},
		{"model (config default)", a.Model, "anthropic/claude-sonnet-4-6"},
		{"description", a.Description, "Reviews PRs"},
		{"harness", a.Harness, "claude-code"},
		{"supports_tui", a.SupportsTUI, true},
		{"system", a.System, "You review Go.\n"},
		{"prompt", a.Prompt, "fallback"},
		{"runtime", a.Runtime, "local"},
		{"config", a.Config["temperature"], 0.2},
		{"tools", compact(a.Tools), `["bash"]`},
		{"requirements", a.Requirements, "requests==2.32.0\n"},
		{"repo_url", a.RepoURL, "https://github.com/acme/app"},
		{"branch (default)", a.Branch, "main"},
		{"mcp_servers", strings.Join(a.MCPServers, ","), "github,linear,slack"},
		{"allow_out", strings.Join(a.AllowOut, ","), "github.com"},
		{"deny_out", strings.Join(a.DenyOut, ","), "evil.example"},
		{"skill_ids (name resolved)", strings.Join(a.SkillIDs, ","), skill.ID},
		{"env keys", len(a.EnvVars), 3},
		{"status", a.Status, spec.StatusPaused},
		{"files", len(a.SandboxFiles), 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}
	for k, v := range a.EnvVars {
		if strings.Contains(v, "secret") || v == "flag" || v == "one" {
			t.Errorf("--json printed env var %s in clear: %q", k, v)
		}
	}
	if !strings.HasPrefix(a.ID, "agent_") {
		t.Errorf("id = %q", a.ID)
	}
	byPath := map[string]spec.SandboxFile{}
	for _, f := range a.SandboxFiles {
		byPath[f.SandboxPath] = f
	}
	if f := byPath["~/notes.md"]; f.Name != "notes.md" || f.ContentType != "text/markdown" || f.Size != 8 {
		t.Errorf("notes file = %+v", f)
	}
	if f := byPath["/etc/app/data.json"]; f.ContentType != "application/json" || f.Size != 7 {
		t.Errorf("data file = %+v", f)
	}

	// The server stored the real values: the mask is only in the output.
	stored, err := e.Client().GetAgent(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"FROM_FILE": "one", "OVERRIDDEN": "flag", "GITHUB_TOKEN": "ghp_secret"}
	for k, v := range want {
		if stored.EnvVars[k] != v {
			t.Errorf("stored env %s = %q, want %q", k, stored.EnvVars[k], v)
		}
	}
}

func TestCreateFromFileFlagsOverride(t *testing.T) {
	e := clitest.New(t)
	file := writeFile(t, "agent.yaml", `name: from-file
model: openai/gpt-5-codex
harness: opencode
system: |
  Be brief.
tools:
  - bash
env_vars:
  A: "1"
  B: "2"
mcp_servers: [one]
`)
	var a spec.Agent
	e.JSON(&a, "agents", "create", "-f", file, "--name", "from-flags", "--env", "B=3", "--mcp", "two", "--json")
	if a.Name != "from-flags" || a.Model != "openai/gpt-5-codex" || a.System != "Be brief.\n" || a.Harness != "opencode" {
		t.Errorf("agent = %+v", a)
	}
	if strings.Join(a.MCPServers, ",") != "two" {
		t.Errorf("mcp_servers = %v, want the flag's list to replace the file's", a.MCPServers)
	}
	var tools []string
	if err := json.Unmarshal(a.Tools, &tools); err != nil || len(tools) != 1 || tools[0] != "bash" {
		t.Errorf("tools = %s (YAML lists must arrive as JSON)", a.Tools)
	}
	stored, _ := e.Client().GetAgent(context.Background(), a.ID)
	if stored.EnvVars["A"] != "1" || stored.EnvVars["B"] != "3" {
		t.Errorf("env = %v, want A from the file and B from the flag", stored.EnvVars)
	}

	// JSON specs, read from stdin; `agents get --json` output round-trips.
	got := e.OK("agents", "get", a.ID, "--json", "--show-secrets")
	r := e.RunOpts(clitest.Opts{Stdin: got}, "agents", "create", "-f", "-", "--name", "copy")
	if r.Code != 0 {
		t.Fatalf("create from get output: %d %s", r.Code, r.Err)
	}

	bad := writeFile(t, "bad.yaml", "nmae: typo\n")
	e.Run("agents", "create", "-f", bad).Fail(t, 1, `unknown field "nmae"`)
}

func TestCreateValidationSendsNothing(t *testing.T) {
	e := clitest.New(t)
	before := agentCount(t, e)
	cases := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"bad env key", []string{"--name", "x", "--env", "1BAD=v"}, []string{"env_vars.1BAD", "[key_pattern]"}},
		{"reserved env key", []string{"--name", "x", "--env", "GIT_TOKEN=v"}, []string{"env_vars.GIT_TOKEN", "[reserved]", "GITHUB_TOKEN"}},
		{"blank name", []string{"--name", " "}, []string{"name", "[required]"}},
		{"bad repo url", []string{"--name", "x", "--repo-url", "not a url"}, []string{"repo_url", "[url]"}},
		{"bad sandbox path", []string{"--name", "x", "--file", writeFile(t, "f.txt", "x") + ":~/"}, []string{"sandbox_path", "[sandbox_path]"}},
		{"config not an object", []string{"--name", "x", "--config", "[1]"}, []string{"config", "[type]"}},
		{"tools not JSON", []string{"--name", "x", "--tools", "{"}, []string{"tools", "[type]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.Run(append([]string{"agents", "create"}, tc.args...)...)
			r.Fail(t, 7, append(tc.wants, "nothing was sent")...)
		})
	}
	if after := agentCount(t, e); after != before {
		t.Errorf("agent count went from %d to %d: an invalid agent reached the server", before, after)
	}
}

func TestCreateDryRun(t *testing.T) {
	e := clitest.New(t)
	notes := writeFile(t, "notes.md", strings.Repeat("x", 300))
	r := e.Run("agents", "create", "--dry-run", "--name", "dry", "--env", "TOKEN=supersecretvalue", "--file", notes+":~/n.md")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Err)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(r.Out), &body); err != nil {
		t.Fatalf("dry run output is not JSON: %v\n%s", err, r.Out)
	}
	if body["name"] != "dry" || body["owner_id"] != clitest.Owner {
		t.Errorf("body = %v", body)
	}
	if strings.Contains(r.Out, "supersecretvalue") {
		t.Errorf("dry run printed the env value:\n%s", r.Out)
	}
	if strings.Contains(r.Out, base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", 300)))) {
		t.Errorf("dry run printed the whole file content")
	}
	if !strings.Contains(r.Err, "nothing was sent") {
		t.Errorf("stderr = %q", r.Err)
	}
	if n := agentCount(t, e); n != 0 {
		t.Errorf("dry run created %d agents", n)
	}
}

func TestCreateFileLimitsCheckedBeforeReading(t *testing.T) {
	e := clitest.New(t)
	big := filepath.Join(t.TempDir(), "big.bin")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse 50 MB file: only its size is ever looked at.
	if err := fh.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	e.Run("agents", "create", "--name", "x", "--file", big+":~/big.bin").Fail(t, 7, "sandbox_files", "[max_total_size]", "big.bin")

	var files []string
	small := writeFile(t, "s.txt", "s")
	for i := range spec.MaxSandboxFiles + 1 {
		files = append(files, "--file", small+":~/f"+string(rune('a'+i)))
	}
	e.Run(append([]string{"agents", "create", "--name", "x"}, files...)...).Fail(t, 7, "[max_files]")

	e.Run("agents", "create", "--name", "x", "--file", small).Fail(t, 2, "LOCAL:SANDBOX_PATH")
	e.Run("agents", "create", "--name", "x", "--file", "/does/not/exist:~/x").Fail(t, 1, "no such file")
	if n := agentCount(t, e); n != 0 {
		t.Errorf("%d agents created", n)
	}
}

func TestCreateServerErrorsAreShown(t *testing.T) {
	e := clitest.New(t)
	e.Run("agents", "create", "--name", "x", "--harness", "no-such-harness").Fail(t, 7, "harness")
	e.Run("agents", "create", "--name", "x", "--skill", "skill_doesnotexist").Fail(t, 3, "skill_doesnotexist")
	e.RunOpts(clitest.Opts{Env: map[string]string{"LITELLM_MASTER_KEY": "sk-wrong"}}, "agents", "list").Fail(t, 4, "401", "lapctl login")
}

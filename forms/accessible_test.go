package forms

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"lapctl/iostreams"
	"lapctl/spec"
)

// runAccessibleLines runs the accessible builder on input lines. huh's
// prompts each read with a fresh scanner, so input arrives a byte at a
// time, as typing on a terminal does, and no prompt reads ahead.
func runAccessibleLines(t *testing.T, opts Options, lines ...string) (*Result, string, error) {
	t.Helper()
	in := iotest.OneByteReader(strings.NewReader(strings.Join(lines, "\n") + "\n"))
	var out, errOut bytes.Buffer
	ios := iostreams.New(in, &out, &errOut, false, nil, nil)
	opts.Accessible = true
	res, err := Run(context.Background(), opts, ios)
	return res, out.String(), err
}

func TestAccessibleCreate(t *testing.T) {
	srv := newFakeServer(t)
	dir := t.TempDir()
	prompt := filepath.Join(dir, "prompt.txt")
	notes := filepath.Join(dir, "notes.md")
	os.WriteFile(prompt, []byte("Line one.\nLine two.\n"), 0o644)
	os.WriteFile(notes, []byte("hello"), 0o644)
	res, out, err := runAccessibleLines(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: dir},
		"acc-agent", "", "Does things",
		"3",        // harness: claude-code
		"2",        // model: claude-opus-4-5
		"@"+prompt, // system prompt from a file
		"1", "0",   // skills: toggle review, done
		"GIT_TOKEN=x",      // refused: reserved
		"GITHUB_TOKEN=abc", // added
		"",                 // env done
		notes, "",          // a file, default sandbox path
		"",          // files done
		"not a url", // refused
		"https://github.com/x/y", "",
		"pytest, requests",
		"github", "a.com, b.com,a.com", "",
		"1", // review: submit
		"1", // done
	)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Step 1 of 10", "Harness", "Loaded 20 B (2 lines)",
		"GIT_TOKEN is reserved: the harness erases it after cloning; put a token the agent must keep in GITHUB_TOKEN or GH_TOKEN",
		"Appended to the prompt: <!-- skill:skill_review -->",
		`repo_url "not a url" is not a valid git URL`,
		"GITHUB_TOKEN: •••", "Created agent agent_1: status paused, harness claude-code (TUI)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if testing.Verbose() {
		t.Log(out)
	}
	if strings.Contains(out, "GITHUB_TOKEN: abc") {
		t.Error("the review printed a secret")
	}
	a := srv.agent("agent_1")
	if a == nil || res.Agent == nil || res.Agent.ID != "agent_1" {
		t.Fatalf("no agent created; result %+v\n%s", res, out)
	}
	if a.Harness != "claude-code" || a.Model != "anthropic/claude-opus-4-5" || a.System != "Line one.\nLine two.\n" ||
		a.EnvVars["GITHUB_TOKEN"] != "abc" || a.RepoURL != "https://github.com/x/y" || a.Requirements != "pytest\nrequests" ||
		!slices.Equal(a.AllowOut, []string{"a.com", "b.com"}) || !slices.Equal(a.SkillIDs, []string{"skill_review"}) ||
		len(a.SandboxFiles) != 1 || a.SandboxFiles[0].SandboxPath != "~/notes.md" {
		t.Errorf("stored agent = %+v", a)
	}
}

func TestAccessibleInputEndsIsCancel(t *testing.T) {
	srv := newFakeServer(t)
	_, _, err := runAccessibleLines(t, Options{Client: srv.client(t), OwnerID: "me"}, "half-typed")
	if err != ErrCancelled {
		t.Fatalf("err = %v, want ErrCancelled", err)
	}
	if srv.agent("agent_1") != nil {
		t.Fatal("an agent was created from cut-off input")
	}
}

func TestAccessibleServerErrors(t *testing.T) {
	srv := newFakeServer(t)
	dir := t.TempDir()
	srv.failNext("POST /api/agents", 401, `{"error":{"type":"unauthorized","message":"bad key"}}`)
	srv.failThen("POST /api/agents", 400, errBody("repo_url", "repository is private"))
	res, out, err := runAccessibleLines(t, Options{Client: srv.client(t), StartDir: dir, Initial: &spec.AgentSpec{Name: "acc", OwnerID: "me", RepoURL: "https://github.com/a/b"}},
		"", "", "", // basics kept
		"", "", "", // harness, model, prompt
		"0", "", "", "", "", "", "", "", "", // skills done, env done, files done, repo + branch kept, pip, network
		"1",     // submit: 401
		"3", "", // save to the default path
		"1",                          // submit again: the server refuses the repo (failSecond)
		"https://github.com/a/c", "", // re-asked repo step
		"1", "1", // submit, done
	)
	_ = res
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	for _, want := range []string{
		"The server refused the key (401 Unauthorized). Log in with: lapctl login",
		"Saved to " + filepath.Join(dir, "acc.yaml") + " (mode 0600).",
		"Server: repo_url: repository is private",
		"Created agent agent_1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if a := srv.agent("agent_1"); a == nil || a.RepoURL != "https://github.com/a/c" {
		t.Fatalf("agent = %+v", a)
	}
}

// TestAccessibleFilesTypedPaths: the accessible mode takes a path from
// the start folder (../ included), ~/… or absolute, and refuses a second
// file whose name gives a sandbox path already taken.
func TestAccessibleFilesTypedPaths(t *testing.T) {
	srv := newFakeServer(t)
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/x.txt", "notes.md", "home/.ssh/config", "other/notes.md")
	t.Setenv("HOME", filepath.Join(root, "home"))
	_, out, err := runAccessibleLines(t, Options{Client: srv.client(t), StartDir: filepath.Join(root, "start"), Initial: &spec.AgentSpec{Name: "acc", OwnerID: "me", RepoURL: "https://github.com/a/b"}},
		"", "", "", // basics kept
		"", "", "", // harness, model, prompt
		"0", "", // skills done, env done
		"../notes.md", "", // from the start folder's parent, default sandbox path
		"~/.ssh/config", "",
		filepath.Join(root, "other", "notes.md"), // refused: ~/notes.md is taken
		"",                                       // files done
		"", "", "", "", "", "", "1", "1",         // repo + branch kept, pip, network, submit, done
	)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if !strings.Contains(out, "notes.md cannot be added as ~/notes.md: ~/notes.md is also the path of sandbox_files[0]") {
		t.Errorf("output lacks the duplicate path refusal:\n%s", out)
	}
	a := srv.agent("agent_1")
	if a == nil || len(a.SandboxFiles) != 2 || a.SandboxFiles[0].SandboxPath != "~/notes.md" || a.SandboxFiles[1].SandboxPath != "~/config" {
		t.Fatalf("agent = %+v\n%s", a, out)
	}
}

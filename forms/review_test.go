package forms

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"lapctl/spec"
)

// fullSpec is an agent using every field the builder edits.
func fullSpec() *spec.AgentSpec {
	return &spec.AgentSpec{
		Name: "full", OwnerID: "me", Description: "All of it", Harness: "claude-code", Model: "anthropic/claude-opus-4-5",
		System: "Line one.\nLine two.\n", Requirements: "pytest==8.3.3\n", RepoURL: "https://github.com/acme/app", Branch: "dev",
		MCPServers: []string{"github"}, AllowOut: []string{"github.com"}, DenyOut: []string{"evil.example"},
		EnvVars:      map[string]string{"GITHUB_TOKEN": "ghp_verysecret", "LOG_LEVEL": "debug"},
		SkillIDs:     []string{"skill_review"},
		SandboxFiles: []spec.SandboxFile{{Name: "notes.md", SandboxPath: "~/notes.md", Content: "aGVsbG8=", Size: 5, ContentType: "text/markdown"}},
		Config:       map[string]any{"temperature": 0.2},
		Tools:        json.RawMessage(`["bash"]`),
	}
}

// reviewDriver walks a prefilled agent straight to the review.
func reviewDriver(t *testing.T, srv *fakeServer, s *spec.AgentSpec) *driver {
	t.Helper()
	d := newDriver(t, Options{Client: srv.client(t), Initial: s})
	d.press("enter", "enter", "enter") // basics
	d.press("enter")                   // harness
	d.press("enter")                   // model
	d.press("enter", "tab")            // prompt
	d.press("enter")                   // skills
	d.press("tab")                     // env
	d.press("tab")                     // files
	d.press("enter", "enter")          // repo
	d.press("enter", "tab")            // pip
	d.press("enter", "enter", "enter") // network
	d.waitFor("What now?")
	return d
}

func TestReviewMasksSecretsAndOmitsContent(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	var all strings.Builder
	for range 6 {
		all.WriteString(d.view())
		d.press("pgdown")
	}
	v := all.String()
	for _, want := range []string{"name: full", "GITHUB_TOKEN: ••••••••", "LOG_LEVEL: •••••", "sandbox_path: ~/notes.md",
		"size: 5", "content_type: text/markdown", "env vars 2/50, 53/16,384 bytes", "files 1/20, 8 B/10 MiB base64", "skills 1",
		"temperature: 0.2", "- bash"} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q", want)
		}
	}
	for _, bad := range []string{"ghp_verysecret", "debug", "aGVsbG8="} {
		if strings.Contains(v, bad) {
			t.Errorf("review shows %q", bad)
		}
	}
}

func TestReviewGoBackToAnyStep(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	d.press("down", "enter")
	d.see("Go back to which step?", "1. Basics: Name, owner and description", "10. Network: MCP servers and outbound network")
	d.press("esc")
	d.see("What now?")
	d.press("down", "enter")
	for range 7 {
		d.press("down")
	}
	d.press("enter") // 8. Repo
	d.see("Step 8 of 10: Repository", "> https://github.com/acme/app")
	d.clear()
	d.typeText("git@github.com:acme/other.git")
	d.press("enter", "enter")
	d.see("What now?") // straight back to the review, not on to step 9
	d.press("pgdown")
	if got := d.b.d.toSpec().RepoURL; got != "git@github.com:acme/other.git" {
		t.Fatalf("repo = %q", got)
	}
}

func TestReviewSaveSpecRoundTrips(t *testing.T) {
	srv := newFakeServer(t)
	s := fullSpec()
	d := reviewDriver(t, srv, s)
	d.press("down", "down", "enter")
	path := filepath.Join(d.b.opts.StartDir, "full.yaml")
	d.see("Save the spec to", "it is written with mode 0600", "> "+path)
	d.press("enter")
	d.see("What now?", "Saved to "+path+" (mode 0600: it holds the real secrets).")
	if d.b.Result().SavedPath != path {
		t.Fatalf("SavedPath = %q", d.b.Result().SavedPath)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("# Agent spec saved by lapctl. Create the agent with: lapctl agents create -f full.yaml")) ||
		!bytes.Contains(data, []byte("ghp_verysecret")) || !bytes.Contains(data, []byte(`content: "aGVsbG8="`)) {
		t.Fatalf("saved file:\n%s", data)
	}
	// The file loads the way `agents create -f` reads YAML: through JSON,
	// with unknown fields refused.
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	buf, _ := json.Marshal(doc)
	var back spec.AgentSpec
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	want := d.b.d.toSpec()
	var wantTools, gotTools any
	json.Unmarshal(want.Tools, &wantTools)
	json.Unmarshal(back.Tools, &gotTools)
	want.Tools, back.Tools = nil, nil
	if !reflect.DeepEqual(&back, want) || !reflect.DeepEqual(gotTools, wantTools) {
		t.Fatalf("loaded spec differs:\n got %+v\nwant %+v", back, *want)
	}

	// Saving over an existing, wider file tightens it to 0600.
	os.Chmod(path, 0o644)
	d.press("down", "down", "enter", "enter")
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("re-saved mode %v", info.Mode().Perm())
	}
}

func TestReviewSaveFailureKeepsPath(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	d.press("down", "down", "enter")
	d.clear()
	d.typeText("/nonexistent-dir/agent.yaml")
	d.press("enter")
	d.see("✗ Could not save the spec: cannot create /nonexistent-dir/agent.yaml: no such file or directory", "> /nonexistent-dir/agent.yaml")
	d.press("esc")
	d.see("What now?")
}

func TestReviewDiscard(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	d.press("down", "down", "down", "enter")
	if _, ok := d.emitted().(CancelMsg); !ok {
		t.Fatalf("emitted %T", d.emitted())
	}
}

func TestCtrlCWarnsThenCancels(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me"})
	d.typeText("x")
	d.press("ctrl+c")
	d.see("Press ctrl+c again to discard this agent; any other key goes on.")
	d.press("y") // goes on
	d.notSee("Press ctrl+c again")
	d.see("> xy")
	if len(d.out) != 0 {
		t.Fatal("cancelled on one ctrl+c")
	}
	d.press("ctrl+c", "ctrl+c")
	if _, ok := d.emitted().(CancelMsg); !ok {
		t.Fatalf("emitted %T", d.emitted())
	}
	if d.view() != "" {
		t.Fatalf("a finished builder still draws:\n%s", d.view())
	}
}

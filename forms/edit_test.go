package forms

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"lapctl/spec"
)

func storedAgent() *spec.Agent {
	return &spec.Agent{
		ID: "agent_9", Name: "stored", OwnerID: "me", Status: spec.StatusActive, Harness: "opencode",
		Model: "anthropic/claude-sonnet-4-6", System: "Be kind.", Description: "old description",
		RepoURL: "https://github.com/acme/app", Branch: "main", AllowOut: []string{"github.com"},
		EnvVars:  map[string]string{"A": "1", "B": "2"},
		SkillIDs: []string{"skill_review"},
		SandboxFiles: []spec.SandboxFile{
			{Name: "one.txt", SandboxPath: "~/one.txt", ContentType: "text/plain", Size: 3},
			{Name: "two.txt", SandboxPath: "/etc/two.txt", ContentType: "text/plain", Size: 4},
		},
	}
}

// editDriver opens the builder on a stored agent.
func editDriver(t *testing.T) (*driver, *fakeServer) {
	t.Helper()
	srv := newFakeServer(t)
	a := storedAgent()
	srv.agents[a.ID] = a
	edit := *storedAgent()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "three.txt"), []byte("333"), 0o644)
	return newDriver(t, Options{Client: srv.client(t), Edit: &edit, StartDir: dir}), srv
}

// walkRest presses through from the step after basics to the review,
// keeping every value.
func walkRest(d *driver, from stepID) {
	keys := map[stepID][]string{
		stepHarness: {"enter"}, stepModel: {"enter"}, stepSystem: {"enter", "tab"}, stepSkills: {"enter"},
		stepEnv: {"tab"}, stepFiles: {"tab"}, stepRepo: {"enter", "enter"}, stepRequirements: {"enter", "tab"},
		stepNetwork: {"enter", "enter", "enter"},
	}
	for id := from; id < numSteps; id++ {
		if !d.b.shown(id) {
			continue // the platform does not store it: the builder skips it
		}
		if id == stepRepo && !d.b.stores("repo_url") {
			d.press("enter") // the branch alone
			continue
		}
		d.press(keys[id]...)
	}
}

// patchKeys are the top-level fields of the last PATCH body.
func patchKeys(t *testing.T, srv *fakeServer, id string) map[string]json.RawMessage {
	t.Helper()
	raw := srv.body("PATCH /api/agents/" + id)
	if raw == nil {
		t.Fatal("no PATCH was sent")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func keysOf(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestEditSendsOnlyWhatChanged(t *testing.T) {
	d, srv := editDriver(t)
	d.see("Edit agent agent_9", "> stored")
	d.press("enter", "enter")
	d.clear()
	d.typeText("new description")
	d.press("enter")
	walkRest(d, stepHarness)
	d.see("What now?", "Will change: description", "Submit: save the changes")
	d.press("enter")
	d.see("✓ Saved agent agent_9")
	m := patchKeys(t, srv, "agent_9")
	if got := keysOf(m); !slices.Equal(got, []string{"description"}) || string(m["description"]) != `"new description"` {
		t.Fatalf("PATCH = %s", srv.body("PATCH /api/agents/agent_9"))
	}
	// An active agent starts a session without a resume.
	d.see("Start a session")
	d.notSee("resumes the paused agent")
}

func TestEditEnvSendsWholeMapButNoFiles(t *testing.T) {
	d, srv := editDriver(t)
	d.press("enter", "enter", "enter")
	walkRest(d, stepHarness)
	d.press("down", "enter")
	for range 5 {
		d.press("down")
	}
	d.press("enter") // 6. Env
	d.press("down", "enter", "tab")
	d.clear()
	d.typeText("22")
	d.press("enter", "tab")
	d.see("Will change: env_vars")
	d.press("enter")
	m := patchKeys(t, srv, "agent_9")
	if got := keysOf(m); !slices.Equal(got, []string{"env_vars"}) || string(m["env_vars"]) != `{"A":"1","B":"22"}` {
		t.Fatalf("PATCH = %s", srv.body("PATCH /api/agents/agent_9"))
	}
}

func TestEditFilesKeepStoredContent(t *testing.T) {
	d, srv := editDriver(t)
	d.press("enter", "enter", "enter")
	walkRest(d, stepHarness)
	d.press("down", "enter")
	for range 6 {
		d.press("down")
	}
	d.press("enter") // 7. Files
	d.see("one.txt", "stored on the server", "2/20 files")
	d.press("enter")
	d.see("✗ one.txt is stored on the server and keeps its path: remove it and add the file again to move it.")
	d.press("down", "d") // remove two.txt
	d.press("a", "enter", "enter")
	d.see("three.txt", "~/three.txt")
	d.press("tab")
	d.see("Will change: sandbox_files")
	d.press("enter")
	m := patchKeys(t, srv, "agent_9")
	if got := keysOf(m); !slices.Equal(got, []string{"sandbox_files"}) {
		t.Fatalf("PATCH = %s", srv.body("PATCH /api/agents/agent_9"))
	}
	var files []spec.SandboxFile
	json.Unmarshal(m["sandbox_files"], &files)
	if len(files) != 2 || files[0].SandboxPath != "~/one.txt" || files[0].Content != "" ||
		files[1].SandboxPath != "~/three.txt" || files[1].Content != "MzMz" || files[1].Size != 3 {
		t.Fatalf("files = %+v", files)
	}
}

func TestEditWithoutChangesSendsNothing(t *testing.T) {
	d, srv := editDriver(t)
	d.press("enter", "enter", "enter")
	walkRest(d, stepHarness)
	d.see("No changes yet: submitting sends nothing.")
	d.press("enter")
	d.see("Unchanged", "✓ No changes to agent agent_9: nothing was sent.")
	d.notSee("✓ Saved agent", "Nothing changed") // no "saved" over "nothing sent"
	if srv.body("PATCH /api/agents/agent_9") != nil {
		t.Fatal("a PATCH was sent")
	}
}

func TestPatchOfClearsLists(t *testing.T) {
	old := &spec.AgentSpec{AllowOut: []string{"a"}, EnvVars: map[string]string{"A": "1"}, SkillIDs: []string{"s"}}
	p := patchOf(old, &spec.AgentSpec{})
	b, _ := json.Marshal(p)
	if string(b) != `{"allow_out":[],"env_vars":{},"skill_ids":[]}` {
		t.Fatalf("patch = %s", b)
	}
	if !patchEmpty(patchOf(old, old)) {
		t.Fatal("no change should give an empty patch")
	}
}

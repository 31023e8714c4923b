package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestCreateAgent(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	rt := "local"
	status, body := c.raw("POST", "/api/agents", spec.AgentSpec{
		Name: "reviewer", OwnerID: "owner-1", Model: "anthropic/claude-sonnet-4-6", System: "be terse",
		Description: "reviews", Runtime: &rt, Config: map[string]any{"x": 1.0}, Tools: json.RawMessage(`["bash"]`),
		Requirements: "requests==2.32.0\n", RepoURL: "https://github.com/org/repo.git",
		MCPServers: []string{"github"}, AllowOut: []string{"api.github.com"}, DenyOut: []string{"evil.example"},
		EnvVars:      map[string]string{"GITHUB_TOKEN": "ghp_secret"},
		SandboxFiles: []spec.SandboxFile{file("notes", "~/notes.md", "hello")},
	}, nil)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	var a spec.Agent
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.ID, "agent_") || len(a.ID) != len("agent_")+20 {
		t.Errorf("id %q", a.ID)
	}
	if a.Status != spec.StatusPaused || a.Harness != "opencode" || a.SupportsTUI || a.SessionCount != 0 {
		t.Errorf("defaults: status %s harness %s tui %v", a.Status, a.Harness, a.SupportsTUI)
	}
	if a.Branch != "main" || a.Runtime != "local" || a.Config["runtime"] != "local" || a.Config["x"] != 1.0 {
		t.Errorf("branch %q runtime %q config %v", a.Branch, a.Runtime, a.Config)
	}
	if a.EnvVars["GITHUB_TOKEN"] != "ghp_secret" || string(a.Tools) != `["bash"]` || a.CreatedAt == 0 || a.UpdatedAt == 0 {
		t.Errorf("env %v tools %s times %d/%d", a.EnvVars, a.Tools, a.CreatedAt, a.UpdatedAt)
	}
	if len(a.SandboxFiles) != 1 || a.SandboxFiles[0].Size != 5 || a.SandboxFiles[0].Content != "" ||
		a.SandboxFiles[0].ContentType != spec.DefaultContentType {
		t.Errorf("files must be metadata only: %+v", a.SandboxFiles)
	}
	if strings.Contains(string(body), "aGVsbG8") { // base64 of "hello"
		t.Errorf("file content leaked into the response: %s", body)
	}

	var got spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.Name != "reviewer" || got.Requirements != "requests==2.32.0\n" || got.MCPServers[0] != "github" ||
		got.AllowOut[0] != "api.github.com" || got.DenyOut[0] != "evil.example" {
		t.Errorf("get: %+v", got)
	}

	tui := c.createAgent(spec.AgentSpec{Name: "tui", Harness: "claude-code"})
	if !tui.SupportsTUI {
		t.Errorf("claude-code agent must support the TUI")
	}
	e := c.fail("GET", "/api/agents/agent_missing", nil, http.StatusNotFound)
	if e.Type != spec.ErrNotFound || !strings.Contains(e.Message, "agent_missing") {
		t.Errorf("404: %+v", e)
	}
}

// TestAgentValidation walks every rule through the HTTP layer: each case
// must be a 400 naming the field at fault.
func TestAgentValidation(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	base := func() spec.AgentSpec { return spec.AgentSpec{Name: "a", OwnerID: "o"} }
	manyEnv := map[string]string{}
	for i := range 51 {
		manyEnv[fmt.Sprintf("K%d", i)] = "v"
	}
	var manyFiles []spec.SandboxFile
	for i := range 21 {
		manyFiles = append(manyFiles, file("f", fmt.Sprintf("~/f%d", i), "x"))
	}
	blank := " "
	cases := []struct {
		name  string
		edit  func(*spec.AgentSpec)
		field string
	}{
		{"name required", func(a *spec.AgentSpec) { a.Name = "  " }, "name"},
		{"owner required", func(a *spec.AgentSpec) { a.OwnerID = "" }, "owner_id"},
		{"runtime blank", func(a *spec.AgentSpec) { a.Runtime = &blank }, "runtime"},
		{"tools type", func(a *spec.AgentSpec) { a.Tools = json.RawMessage(`"bash"`) }, "tools"},
		{"repo url", func(a *spec.AgentSpec) { a.RepoURL = "not a url" }, "repo_url"},
		{"env key pattern", func(a *spec.AgentSpec) { a.EnvVars = map[string]string{"BAD-KEY": "v"} }, "env_vars.BAD-KEY"},
		{"env reserved", func(a *spec.AgentSpec) { a.EnvVars = map[string]string{"GIT_TOKEN": "v"} }, "env_vars.GIT_TOKEN"},
		{"env count", func(a *spec.AgentSpec) { a.EnvVars = manyEnv }, "env_vars"},
		{"env size", func(a *spec.AgentSpec) { a.EnvVars = map[string]string{"BIG": strings.Repeat("x", 17000)} }, "env_vars"},
		{"file count", func(a *spec.AgentSpec) { a.SandboxFiles = manyFiles }, "sandbox_files"},
		{"file path", func(a *spec.AgentSpec) { a.SandboxFiles = []spec.SandboxFile{file("f", "relative.txt", "x")} }, "sandbox_files[0].sandbox_path"},
		{"file name", func(a *spec.AgentSpec) { a.SandboxFiles = []spec.SandboxFile{file("", "~/x", "x")} }, "sandbox_files[0].name"},
		{"file base64", func(a *spec.AgentSpec) {
			a.SandboxFiles = []spec.SandboxFile{{Name: "f", SandboxPath: "~/x", Content: "!!!", Size: 1}}
		}, "sandbox_files[0].content"},
		{"file empty", func(a *spec.AgentSpec) {
			a.SandboxFiles = []spec.SandboxFile{{Name: "f", SandboxPath: "~/x"}}
		}, "sandbox_files[0].content"},
		{"file size", func(a *spec.AgentSpec) {
			f := file("f", "~/x", "hello")
			f.Size = 3
			a.SandboxFiles = []spec.SandboxFile{f}
		}, "sandbox_files[0].size"},
		{"harness unknown", func(a *spec.AgentSpec) { a.Harness = "vim" }, "harness"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := base()
			tc.edit(&a)
			e := c.fail("POST", "/api/agents", a, http.StatusBadRequest)
			if e.Type != spec.ErrInvalidRequest || e.Field != tc.field {
				t.Fatalf("error %+v, want field %s", e, tc.field)
			}
		})
	}
	t.Run("several errors are all named", func(t *testing.T) {
		e := c.fail("POST", "/api/agents", spec.AgentSpec{}, http.StatusBadRequest)
		if e.Field != "name" || !strings.Contains(e.Message, "owner_id") {
			t.Fatalf("error %+v", e)
		}
	})
	t.Run("harness error lists the valid ones", func(t *testing.T) {
		a := base()
		a.Harness = "vim"
		e := c.fail("POST", "/api/agents", a, http.StatusBadRequest)
		for _, id := range []string{"opencode", "claude-agent-sdk", "claude-code", "codex"} {
			if !strings.Contains(e.Message, id) {
				t.Errorf("message %q does not list %s", e.Message, id)
			}
		}
	})
	var list spec.AgentList
	c.call("GET", "/api/agents", nil, http.StatusOK, &list)
	if list.Total != 0 {
		t.Fatalf("rejected agents were stored: %d", list.Total)
	}
}

func TestRegisteredAliasIsAValidHarness(t *testing.T) {
	inst := servertest.Start(t, servertest.WithHarnessCmd("my-bot", "cat"))
	c := newClient(t, inst)
	a := c.createAgent(spec.AgentSpec{Name: "a", Harness: "my-bot"})
	if a.Harness != "my-bot" || a.SupportsTUI {
		t.Fatalf("alias agent: %+v", a)
	}
}

func TestAgentSkillsMustBeTheOwners(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	var mine, theirs, shared spec.Skill
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "m", Content: "c", OwnerID: "owner-1"}, http.StatusCreated, &mine)
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "t", Content: "c", OwnerID: "owner-2"}, http.StatusCreated, &theirs)
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "s", Content: "c"}, http.StatusCreated, &shared)

	a := c.createAgent(spec.AgentSpec{Name: "a", SkillIDs: []string{mine.ID, shared.ID}})
	if len(a.SkillIDs) != 2 || a.SkillIDs[0] != mine.ID {
		t.Fatalf("skill ids: %v", a.SkillIDs)
	}
	for _, id := range []string{theirs.ID, "skill_doesnotexist"} {
		e := c.fail("POST", "/api/agents", spec.AgentSpec{Name: "b", OwnerID: "owner-1", SkillIDs: []string{id}}, http.StatusNotFound)
		if e.Field != "skill_ids" || !strings.Contains(e.Message, id) || !strings.Contains(e.Message, "owner-1") {
			t.Errorf("skill %s: %+v", id, e)
		}
	}
	// Moving the agent to another owner re-checks its skills.
	e := c.fail("PATCH", "/api/agents/"+a.ID, spec.AgentPatch{OwnerID: ptr("owner-2")}, http.StatusNotFound)
	if e.Field != "skill_ids" {
		t.Errorf("owner change: %+v", e)
	}
}

func TestPatchAgent(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	a := c.createAgent(spec.AgentSpec{
		Name: "a", Model: "m1", System: "sys", EnvVars: map[string]string{"A": "1"},
		SandboxFiles: []spec.SandboxFile{file("one", "~/one.txt", "first"), file("two", "~/two.txt", "second!")},
	})

	var p spec.Agent
	c.call("PATCH", "/api/agents/"+a.ID, spec.AgentPatch{Name: ptr("renamed"), EnvVars: &map[string]string{"B": "2"}}, http.StatusOK, &p)
	if p.Name != "renamed" || p.Model != "m1" || p.System != "sys" || p.EnvVars["B"] != "2" || p.EnvVars["A"] != "" {
		t.Fatalf("merge: %+v", p)
	}
	if p.UpdatedAt < a.UpdatedAt || p.CreatedAt != a.CreatedAt || p.Status != spec.StatusPaused {
		t.Errorf("times/status: %+v", p)
	}

	// Files: the list is replaced; an empty entry keeps the stored file.
	keep := spec.SandboxFile{Name: "two renamed", SandboxPath: "~/two.txt"}
	c.call("PATCH", "/api/agents/"+a.ID, spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{keep, file("three", "/work/three", "3")}}, http.StatusOK, &p)
	if len(p.SandboxFiles) != 2 || p.SandboxFiles[0].Name != "two renamed" || p.SandboxFiles[0].Size != 7 || p.SandboxFiles[1].Size != 1 {
		t.Fatalf("files after patch: %+v", p.SandboxFiles)
	}
	e := c.fail("PATCH", "/api/agents/"+a.ID, spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{{Name: "x", SandboxPath: "~/nothing-stored"}}}, http.StatusBadRequest)
	if e.Field != "sandbox_files[0].content" {
		t.Errorf("empty file matching nothing: %+v", e)
	}

	for name, tc := range map[string]struct {
		patch spec.AgentPatch
		field string
	}{
		"blank name":    {spec.AgentPatch{Name: ptr(" ")}, "name"},
		"blank owner":   {spec.AgentPatch{OwnerID: ptr("")}, "owner_id"},
		"bad env":       {spec.AgentPatch{EnvVars: &map[string]string{"PORT": "1"}}, "env_vars.PORT"},
		"bad repo":      {spec.AgentPatch{RepoURL: ptr("ftp://x/y")}, "repo_url"},
		"bad harness":   {spec.AgentPatch{Harness: ptr("emacs")}, "harness"},
		"blank runtime": {spec.AgentPatch{Runtime: ptr("")}, "runtime"},
	} {
		e := c.fail("PATCH", "/api/agents/"+a.ID, tc.patch, http.StatusBadRequest)
		if e.Field != tc.field {
			t.Errorf("%s: %+v, want field %s", name, e, tc.field)
		}
	}
	var after spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &after)
	if after.Name != "renamed" || after.RepoURL != "" {
		t.Errorf("a rejected patch changed the agent: %+v", after)
	}

	c.call("PATCH", "/api/agents/"+a.ID, spec.AgentPatch{RepoURL: ptr("git@github.com:org/repo.git"), Harness: ptr("codex")}, http.StatusOK, &p)
	if p.Branch != "main" || !p.SupportsTUI {
		t.Errorf("repo patch: branch %q tui %v", p.Branch, p.SupportsTUI)
	}
	c.fail("PATCH", "/api/agents/agent_nope", spec.AgentPatch{Name: ptr("x")}, http.StatusNotFound)
}

func TestPauseResumeDelete(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	a := c.createAgent(spec.AgentSpec{Name: "a"})
	var st spec.AgentStatus
	c.call("POST", "/api/agents/"+a.ID+"/resume", nil, http.StatusOK, &st)
	if st.ID != a.ID || st.Status != spec.StatusActive {
		t.Fatalf("resume: %+v", st)
	}
	c.call("POST", "/api/agents/"+a.ID+"/pause", nil, http.StatusOK, &st)
	if st.Status != spec.StatusPaused {
		t.Fatalf("pause: %+v", st)
	}
	c.fail("POST", "/api/agents/agent_nope/pause", nil, http.StatusNotFound)

	var ok map[string]bool
	c.call("DELETE", "/api/agents/"+a.ID, nil, http.StatusOK, &ok)
	if !ok["ok"] {
		t.Fatalf("delete: %v", ok)
	}
	c.fail("GET", "/api/agents/"+a.ID, nil, http.StatusNotFound)
	c.fail("DELETE", "/api/agents/"+a.ID, nil, http.StatusNotFound)
}

func TestListAgents(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	names := []string{"Charlie", "alpha", "Bravo", "delta", "Écho"}
	harness := []string{"opencode", "codex", "claude-code", "opencode", "codex"}
	ids := map[string]string{}
	for i, n := range names {
		owner := "owner-1"
		if i == 4 {
			owner = "owner-2"
		}
		ids[n] = c.createAgent(spec.AgentSpec{Name: n, OwnerID: owner, Harness: harness[i]}).ID
	}
	list := func(query string) spec.AgentList {
		t.Helper()
		var l spec.AgentList
		c.call("GET", "/api/agents?"+query, nil, http.StatusOK, &l)
		return l
	}
	namesOf := func(l spec.AgentList) string {
		var out []string
		for _, a := range l.Agents {
			out = append(out, a.Name)
		}
		return strings.Join(out, ",")
	}

	l := list("")
	if l.Total != 5 || l.Limit != 50 || l.Offset != 0 || namesOf(l) != "Écho,delta,Bravo,alpha,Charlie" {
		t.Errorf("default (newest first): %d %s", l.Total, namesOf(l))
	}
	if got := namesOf(list("sort=name&order=asc")); got != "alpha,Bravo,Charlie,delta,Écho" {
		t.Errorf("by name: %s", got)
	}
	if got := namesOf(list("sort=harness&order=asc&owner_id=owner-1")); got != "Bravo,alpha,Charlie,delta" {
		t.Errorf("by harness: %s", got)
	}
	l = list("sort=created_at&order=asc&limit=2&offset=1")
	if l.Total != 5 || namesOf(l) != "alpha,Bravo" || l.Limit != 2 || l.Offset != 1 {
		t.Errorf("page: total %d %s", l.Total, namesOf(l))
	}
	if l := list("offset=10"); l.Total != 5 || len(l.Agents) != 0 {
		t.Errorf("past the end: %+v", l)
	}
	if l := list("search=ALPHA"); l.Total != 1 || l.Agents[0].Name != "alpha" {
		t.Errorf("search by name: %s", namesOf(l))
	}
	if l := list("search=écho"); l.Total != 1 {
		t.Errorf("search is case-insensitive beyond ASCII: %s", namesOf(l))
	}
	if l := list("search=" + url.QueryEscape(ids["delta"][6:])); l.Total != 1 || l.Agents[0].Name != "delta" {
		t.Errorf("search by id: %s", namesOf(l))
	}
	if l := list("search=CODEX&order=asc"); l.Total != 2 || namesOf(l) != "alpha,Écho" {
		t.Errorf("search by harness: %s", namesOf(l))
	}
	if l := list("search=%25"); l.Total != 0 {
		t.Errorf("search is literal, not a LIKE pattern: %s", namesOf(l))
	}
	if l := list("owner_id=owner-2"); l.Total != 1 {
		t.Errorf("owner filter: %s", namesOf(l))
	}

	for query, field := range map[string]string{
		"limit=0": "limit", "limit=201": "limit", "limit=x": "limit", "offset=-1": "offset",
		"sort=size": "sort", "order=up": "order",
	} {
		e := c.fail("GET", "/api/agents?"+query, nil, http.StatusBadRequest)
		if e.Field != field {
			t.Errorf("%s: %+v", query, e)
		}
		if field == "limit" && !strings.Contains(e.Message, "1 to 200") {
			t.Errorf("%s: the message should give the range: %q", query, e.Message)
		}
	}
}

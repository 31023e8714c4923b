package agents_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/spec"
)

// seed creates agents through the client, not the commands under test.
func seed(t *testing.T, e *clitest.Env, specs ...spec.AgentSpec) []*spec.Agent {
	t.Helper()
	var out []*spec.Agent
	for _, s := range specs {
		if s.OwnerID == "" {
			s.OwnerID = clitest.Owner
		}
		a, err := e.Client().CreateAgent(context.Background(), &s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestListOutputs(t *testing.T) {
	e := clitest.New(t)
	seed(t, e,
		spec.AgentSpec{Name: "alpha", Harness: "claude-code", Model: "m1", EnvVars: map[string]string{"K": "secretvalue"}},
		spec.AgentSpec{Name: "beta", Harness: "opencode", Model: "m2"},
		spec.AgentSpec{Name: "gamma", Harness: "codex", OwnerID: "someone-else"},
	)

	var all []spec.Agent
	e.JSON(&all, "agents", "list", "--json", "--sort", "name", "--order", "asc")
	if names := agentNames(all); names != "alpha,beta,gamma" {
		t.Errorf("names = %s", names)
	}
	if all[0].EnvVars["K"] == "secretvalue" {
		t.Error("list --json printed an env value")
	}

	var mine []spec.Agent
	e.JSON(&mine, "agents", "list", "--json", "--owner", clitest.Owner, "--sort", "name", "--order", "asc")
	if names := agentNames(mine); names != "alpha,beta" {
		t.Errorf("--owner: names = %s", names)
	}
	var found []spec.Agent
	e.JSON(&found, "agents", "list", "--json", "--search", "ALPH")
	if names := agentNames(found); names != "alpha" {
		t.Errorf("--search: names = %s", names)
	}
	var page []spec.Agent
	e.JSON(&page, "agents", "list", "--json", "--limit", "1", "--offset", "1", "--sort", "name", "--order", "asc")
	if names := agentNames(page); names != "beta" {
		t.Errorf("--limit/--offset: names = %s", names)
	}

	// Piped: tab-separated, no header, every column, fixed order.
	out := e.OK("agents", "list", "--sort", "name", "--order", "asc")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("piped list has %d lines:\n%s", len(lines), out)
	}
	cols := strings.Split(lines[0], "\t")
	if len(cols) != 7 || cols[0] != "alpha" || !strings.HasPrefix(cols[1], "agent_") || cols[2] != "claude-code (TUI)" ||
		cols[3] != "m1" || cols[4] != "paused" || cols[5] != "0" || !strings.HasSuffix(cols[6], "Z") {
		t.Errorf("row = %q", cols)
	}

	// A terminal gets a header, relative times, and a table that fits.
	r := e.RunOpts(clitest.Opts{TTY: true, Width: 70}, "agents", "list", "--limit", "2", "--sort", "name", "--order", "asc")
	if r.Code != 0 {
		t.Fatal(r.Err)
	}
	if !strings.HasPrefix(r.Out, "NAME") || !strings.Contains(r.Out, "alpha") {
		t.Errorf("tty table:\n%s", r.Out)
	}
	for _, l := range strings.Split(strings.TrimRight(r.Out, "\n"), "\n") {
		if n := len([]rune(strings.TrimRight(l, " "))); n > 70 {
			t.Errorf("line is %d columns wide on a 70-column terminal: %q", n, l)
		}
	}
	if !strings.Contains(r.Err, "Showing 1-2 of 3 agents") {
		t.Errorf("paging hint missing: %q", r.Err)
	}

	for _, args := range [][]string{
		{"--limit", "0"}, {"--limit", "201"}, {"--sort", "size"}, {"--order", "up"}, {"--all", "--limit", "5"}, {"extra"},
	} {
		e.Run(append([]string{"agents", "list"}, args...)...).Fail(t, 2)
	}
}

func agentNames(agents []spec.Agent) string {
	var n []string
	for _, a := range agents {
		n = append(n, a.Name)
	}
	return strings.Join(n, ",")
}

func TestGetResolvesAndMasks(t *testing.T) {
	e := clitest.New(t)
	agents := seed(t, e,
		spec.AgentSpec{Name: "reviewer", Harness: "claude-code", System: "Be kind.", EnvVars: map[string]string{"TOKEN": "tok-123456789"},
			SandboxFiles: []spec.SandboxFile{{Name: "a.md", SandboxPath: "~/a.md", Content: "aGk=", Size: 2, ContentType: "text/markdown"}}},
		spec.AgentSpec{Name: "other"},
	)
	id := agents[0].ID
	for _, ref := range []string{id, "reviewer", "REVIEWER", id[:len("agent_")+6]} {
		var a spec.Agent
		e.JSON(&a, "agents", "get", ref, "--json")
		if a.ID != id {
			t.Errorf("get %s = %s, want %s", ref, a.ID, id)
		}
		if a.EnvVars["TOKEN"] == "tok-123456789" || a.EnvVars["TOKEN"] == "" {
			t.Errorf("get %s: TOKEN = %q, want masked", ref, a.EnvVars["TOKEN"])
		}
	}
	var shown spec.Agent
	e.JSON(&shown, "agents", "get", "reviewer", "--json", "--show-secrets")
	if shown.EnvVars["TOKEN"] != "tok-123456789" {
		t.Errorf("--show-secrets: TOKEN = %q", shown.EnvVars["TOKEN"])
	}

	out := e.OK("agents", "get", "reviewer")
	for _, want := range []string{"Name:", "reviewer", id, "claude-code (TUI)", "System prompt:", "Be kind.", "TOKEN=•", "~/a.md  (text/markdown, 2 B)"} {
		if !strings.Contains(out, want) {
			t.Errorf("detail view lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tok-123456789") {
		t.Error("detail view shows the env value")
	}

	e.Run("agents", "get", "nobody").Fail(t, 3, `no agent matches "nobody"`)
	e.Run("agents", "get", "agent_").Fail(t, 1, "matches 2 agents", "reviewer", "other")
	e.Run("agents", "get").Fail(t, 2, "requires an agent")
}

func TestEditPatchesOnlyGivenFields(t *testing.T) {
	e := clitest.New(t)
	c := e.Client()
	ctx := context.Background()
	sk1, _ := c.CreateSkill(ctx, &spec.SkillSpec{Name: "one", Content: "1", OwnerID: clitest.Owner})
	sk2, _ := c.CreateSkill(ctx, &spec.SkillSpec{Name: "two", Content: "2", OwnerID: clitest.Owner})
	a := seed(t, e, spec.AgentSpec{Name: "ed", Model: "m1", System: "keep me", Description: "d",
		EnvVars:      map[string]string{"KEEP": "k", "DROP": "d"},
		SkillIDs:     []string{sk1.ID},
		SandboxFiles: []spec.SandboxFile{{Name: "a.md", SandboxPath: "~/a.md", Content: "aGk=", Size: 2}}})[0]

	var got spec.Agent
	e.JSON(&got, "agents", "edit", "ed", "--model", "m2", "--description", "", "--json")
	if got.Model != "m2" || got.Description != "" || got.System != "keep me" || len(got.SandboxFiles) != 1 {
		t.Errorf("after edit: %+v", got)
	}

	notes := writeFile(t, "b.txt", "hello")
	e.OK("agents", "edit", a.ID, "--add-env", "NEW=n", "--rm-env", "DROP", "--add-file", notes+":~/b.txt", "--rm-file", "~/a.md",
		"--add-skill", "two", "--rm-skill", sk1.ID)
	stored, err := c.GetAgent(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.EnvVars["KEEP"] != "k" || stored.EnvVars["NEW"] != "n" || stored.EnvVars["DROP"] != "" {
		t.Errorf("env = %v", stored.EnvVars)
	}
	if len(stored.SandboxFiles) != 1 || stored.SandboxFiles[0].SandboxPath != "~/b.txt" || stored.SandboxFiles[0].Size != 5 {
		t.Errorf("files = %+v", stored.SandboxFiles)
	}
	if !slices.Equal(stored.SkillIDs, []string{sk2.ID}) {
		t.Errorf("skills = %v", stored.SkillIDs)
	}

	// Keeping a stored file while adding another must not resend it.
	more := writeFile(t, "c.txt", "c")
	e.OK("agents", "edit", a.ID, "--add-file", more+":~/c.txt")
	stored, _ = c.GetAgent(ctx, a.ID)
	if len(stored.SandboxFiles) != 2 {
		t.Errorf("files after add = %+v", stored.SandboxFiles)
	}

	e.Run("agents", "edit", a.ID, "--rm-env", "NOPE").Fail(t, 2, "no env var NOPE")
	e.Run("agents", "edit", a.ID, "--rm-file", "~/nope").Fail(t, 2, "no file at that sandbox path")
	e.Run("agents", "edit", a.ID).Fail(t, 2, "nothing to change")
	e.Run("agents", "edit", a.ID, "--env", "bad-key=1").Fail(t, 7, "env_vars.bad-key", "[key_pattern]")
	e.Run("agents", "edit", a.ID, "--name", "").Fail(t, 7, "name", "[not_blank]")

	r := e.Run("agents", "edit", a.ID, "--system", "new", "--dry-run")
	if r.Code != 0 || !strings.Contains(r.Out, `"system": "new"`) || strings.Contains(r.Out, `"model"`) {
		t.Errorf("dry run: %d\n%s%s", r.Code, r.Out, r.Err)
	}
	stored, _ = c.GetAgent(ctx, a.ID)
	if stored.System != "keep me" {
		t.Error("edit --dry-run changed the agent")
	}
}

func TestDeleteConfirmation(t *testing.T) {
	e := clitest.New(t)
	agents := seed(t, e, spec.AgentSpec{Name: "a1"}, spec.AgentSpec{Name: "a2"}, spec.AgentSpec{Name: "a3"})

	// No terminal and no --yes: refused, naming --yes, nothing deleted.
	e.Run("agents", "delete", "a1").Fail(t, 2, "--yes")
	if n := agentCount(t, e); n != 3 {
		t.Fatalf("%d agents left after a refused delete", n)
	}

	// A terminal asks; "no" cancels.
	no := &clitest.FakePrompter{ConfirmAnswer: false}
	e.RunOpts(clitest.Opts{TTY: true, Prompter: no}, "agents", "delete", "a1").Fail(t, 130)
	if len(no.Asked) != 1 || !strings.Contains(no.Asked[0], "a1") {
		t.Errorf("asked %q", no.Asked)
	}
	yes := &clitest.FakePrompter{ConfirmAnswer: true}
	r := e.RunOpts(clitest.Opts{TTY: true, Prompter: yes}, "agents", "delete", "a1")
	if r.Code != 0 || !strings.Contains(r.Out, "Deleted agent a1") {
		t.Errorf("tty delete: %d %q %q", r.Code, r.Out, r.Err)
	}

	// A typo among several deletes nothing.
	e.Run("agents", "delete", "a2", "nope", "--yes").Fail(t, 3, "nope")
	if n := agentCount(t, e); n != 2 {
		t.Fatalf("%d agents left, want 2", n)
	}

	var out struct{ Deleted []string }
	e.JSON(&out, "agents", "delete", "a2", agents[2].ID, "--yes", "--json")
	if !slices.Equal(out.Deleted, []string{agents[1].ID, agents[2].ID}) {
		t.Errorf("deleted = %v", out.Deleted)
	}
	if n := agentCount(t, e); n != 0 {
		t.Errorf("%d agents left", n)
	}
}

func TestPauseResume(t *testing.T) {
	e := clitest.New(t)
	a := seed(t, e, spec.AgentSpec{Name: "p"})[0]
	var st []spec.AgentStatus
	e.JSON(&st, "agents", "resume", "p", "--json")
	if len(st) != 1 || st[0].ID != a.ID || st[0].Status != spec.StatusActive {
		t.Errorf("resume = %+v", st)
	}
	if out := e.OK("agents", "pause", a.ID); out != a.ID+"\tpaused\n" {
		t.Errorf("pause output = %q", out)
	}
	r := e.RunOpts(clitest.Opts{TTY: true}, "agents", "resume", "p")
	if !strings.Contains(r.Out, "Agent p ("+a.ID+") is active") {
		t.Errorf("tty resume = %q", r.Out)
	}
}

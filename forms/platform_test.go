package forms

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/internal/gatewayfake"
	"lapctl/internal/managedfake"
	"lapctl/spec"
)

// The builder against the fakes of the real platform's two generations:
// it offers only the steps each keeps, names what it does not, and never
// reports a dropped field as saved.

const gatewayNotStored = "gateway does not store: env vars, files, repo, requirements, MCP servers, allowed/blocked domains"

func gatewayClient(t *testing.T) *client.Client {
	t.Helper()
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "gk"})
	return apitest.NewClient(t, g.URL, "gk")
}

func managedClient(t *testing.T) *client.Client {
	t.Helper()
	m := managedfake.Start(t, managedfake.Options{MasterKey: "mk"})
	return apitest.NewClient(t, m.URL, "mk")
}

// TestGatewayShowsOnlyStoredSteps walks the builder on the gateway: five
// steps, the not-stored line on the first step and the review, the one
// harness as API (no gateway session has a terminal), and a clean ✓.
func TestGatewayShowsOnlyStoredSteps(t *testing.T) {
	t.Parallel()
	c := gatewayClient(t)
	d := newDriver(t, Options{Client: c, OwnerID: "me"})
	d.see("Step 1 of 5", gatewayNotStored)
	d.notSee("Env", "Files", "Repo", "Pip", "Network")
	d.typeText("gw-agent")
	d.press("enter", "enter", "enter")
	d.see("Step 2 of 5", "claude-code) [API]")
	d.notSee("[TUI]")
	walkRest(d, stepHarness)
	d.see("What now?", gatewayNotStored)
	d.press("enter")
	d.see("✓ Created agent ", "harness: claude-code (API)")
	d.notSee("What next?\n┃ > Done\n┃   Start a session and attach")
	res := d.b.Result()
	if len(res.Losses) != 0 || res.Sent == nil || res.Sent.Name != "gw-agent" {
		t.Fatalf("result: losses %v sent %+v", res.Losses, res.Sent)
	}
	a, err := c.GetAgent(context.Background(), res.Agent.ID)
	if err != nil || a.Name != "gw-agent" {
		t.Fatalf("stored %+v, %v", a, err)
	}
}

// TestGatewayDroppedFieldsWarn: a spec carrying fields the gateway drops
// (from -f) is sent as given; the done page names each lost field and
// shows no ✓, and the Result carries the losses.
func TestGatewayDroppedFieldsWarn(t *testing.T) {
	t.Parallel()
	c := gatewayClient(t)
	d := newDriver(t, Options{Client: c, Initial: &spec.AgentSpec{
		Name: "leaky", OwnerID: "me", EnvVars: map[string]string{"LOG_LEVEL": "debug"}, DenyOut: []string{"evil.example"},
	}})
	d.press("enter", "enter", "enter")
	walkRest(d, stepHarness)
	d.see("What now?", "Submitting sends deny_out, env_vars, which gateway does not keep")
	d.press("enter")
	d.see("! Created agent ", "but the gateway server did not keep: deny_out, env_vars.LOG_LEVEL",
		"warning: deny_out: sent [evil.example], the server kept []", "warning: env_vars.LOG_LEVEL: not kept")
	d.notSee("✓", "debug")
	var fields []string
	for _, l := range d.b.Result().Losses {
		fields = append(fields, l.Field)
	}
	if strings.Join(fields, ",") != "deny_out,env_vars.LOG_LEVEL" {
		t.Fatalf("losses = %v", d.b.Result().Losses)
	}
}

// TestManagedShowsEveryStep: managed keeps every step's fields but the
// owner (the key's) and the description; its TUI harnesses are marked so.
func TestManagedShowsEveryStep(t *testing.T) {
	t.Parallel()
	c := managedClient(t)
	d := newDriver(t, Options{Client: c, OwnerID: "me", DefaultModel: "anthropic/claude-sonnet-4-6", Initial: &spec.AgentSpec{Harness: "claude-code"}})
	d.see("Step 1 of 10", "managed does not store: owner, description", "[Basics] Harness Model Prompt Skills Env Files Repo Pip Network Review")
	d.notSee("Owner id", "Description")
	d.typeText("mg-agent")
	d.press("enter")
	d.see("Step 2 of 10", "claude-code) [TUI]", "opencode")
	walkRest(d, stepHarness)
	d.see("What now?", "managed does not store: owner, description")
	d.press("enter")
	d.see("✓ Created agent ", "harness: claude-code (TUI)", "Start a session and attach to it")
	if res := d.b.Result(); len(res.Losses) != 0 || res.Sent.OwnerID != "" {
		t.Fatalf("losses %v, owner sent %q", res.Losses, res.Sent.OwnerID)
	}
}

// TestManagedZodErrorJumpsToStep: the managed server's zod issue on
// repo_url (its z.string().url() refuses the scp form lapctl accepts)
// opens the repo step with the server's message.
func TestManagedZodErrorJumpsToStep(t *testing.T) {
	t.Parallel()
	c := managedClient(t)
	d := newDriver(t, Options{Client: c, Initial: &spec.AgentSpec{Name: "zod", Model: "m", RepoURL: "git@github.com:acme/app.git"}})
	d.press("enter")
	walkRest(d, stepHarness)
	d.see("What now?")
	d.press("enter")
	d.see("Step 8 of 10: Repository", "Server: repo_url: Invalid url")
}

// TestManagedRequiredModelJumpsToStep: managed's zod "Required" for a
// missing model opens the model step.
func TestManagedRequiredModelJumpsToStep(t *testing.T) {
	t.Parallel()
	d := newDriver(t, Options{Client: managedClient(t), Initial: &spec.AgentSpec{Name: "nomodel"}})
	d.press("enter")
	walkRest(d, stepHarness)
	d.press("enter")
	d.see("Step 3 of 10: Model", "Server: model: Required")
}

// TestZodIssuesJumpToFirstStep: a 400 of zod issues, whatever the
// dialect, puts each message on its step and opens the first.
func TestZodIssuesJumpToFirstStep(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t)
	srv.failNext("POST /api/agents", http.StatusBadRequest,
		`{"error":[{"code":"invalid_string","message":"invalid env var name","path":["env_vars","LOG_LEVEL"]},{"code":"too_small","message":"String must contain at least 1 character(s)","path":["model"]}]}`)
	d := newDriver(t, Options{Client: srv.client(t), Initial: &spec.AgentSpec{Name: "z", OwnerID: "me", EnvVars: map[string]string{"LOG_LEVEL": "x"}}})
	d.press("enter", "enter", "enter")
	walkRest(d, stepHarness)
	d.press("enter")
	d.see("Step 6 of 10", "invalid env var name")
	if fe, ok := d.b.stepErr[stepModel]; !ok || !strings.Contains(fe.Message, "at least 1") {
		t.Fatalf("model step error = %+v", d.b.stepErr[stepModel])
	}
}

// TestGoldenGatewayBasics: the first step on the gateway names what it
// does not store, and the breadcrumb holds its five steps.
func TestGoldenGatewayBasics(t *testing.T) {
	p := startProgramAt(t, Options{Client: gatewayClient(t), OwnerID: "me", StartDir: t.TempDir()}, "Step 1 of 5")
	p.waitFor("gateway does not store")
	p.golden()
}

// TestGoldenGatewayDropped: the done page after the gateway dropped
// fields: a warning per field, no ✓.
func TestGoldenGatewayDropped(t *testing.T) {
	p := startProgramAt(t, Options{Client: gatewayClient(t), StartDir: t.TempDir(), Initial: &spec.AgentSpec{
		Name: "leaky", OwnerID: "me", Model: "claude-sonnet-4-6", EnvVars: map[string]string{"LOG_LEVEL": "debug"}, AllowOut: []string{"pypi.org"},
	}}, "Step 1 of 5")
	p.walk([]walkStep{
		{[]string{"enter", "enter", "enter"}, "Step 2 of 5"},
		{[]string{"enter"}, "Step 3 of 5"},
		{[]string{"enter"}, "Step 4 of 5"},
		{[]string{"enter", "tab"}, "Step 5 of 5"},
		{[]string{"enter"}, "What now?"},
	})
	p.keys("enter")
	p.waitFor("did not keep")
	p.golden()
}

// TestGoldenManagedBasics: managed asks for the name alone (the owner is
// the key's) and says so.
func TestGoldenManagedBasics(t *testing.T) {
	p := startProgramAt(t, Options{Client: managedClient(t), OwnerID: "me", StartDir: t.TempDir()}, "managed does not store")
	p.golden()
}

// TestManagedEditHidesUnchangeable: an edit on managed skips what its
// UpdateAgentBody cannot change and says so; the sent patch is kept.
func TestManagedEditHidesUnchangeable(t *testing.T) {
	t.Parallel()
	c := managedClient(t)
	ctx := context.Background()
	created, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "mg", Model: "m", Harness: "claude-code"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.GetAgent(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Client: c, Edit: a})
	d.see("Step 1 of 7: Name", "managed does not change on edit: description, harness, skills, repo URL, requirements")
	d.clear()
	d.typeText("mg-renamed")
	d.press("enter")
	d.see("Step 2 of 7: Model")
	walkRest(d, stepModel)
	d.see("Will change: name")
	d.press("enter")
	d.see("✓ Saved agent " + a.ID)
	res := d.b.Result()
	if res.SentPatch == nil || res.SentPatch.Name == nil || *res.SentPatch.Name != "mg-renamed" || len(res.Losses) != 0 {
		t.Fatalf("patch %+v losses %v", res.SentPatch, res.Losses)
	}
}

// TestEditDroppedFieldWarns: the builder's test server keeps only part
// of a PATCH (requirements is dropped), as a server that ignores a field
// would; the edit is reported as not kept, field by field, without ✓.
func TestEditDroppedFieldWarns(t *testing.T) {
	t.Parallel()
	d, _ := editDriver(t)
	d.press("enter", "enter", "enter")
	for _, id := range []stepID{stepHarness, stepModel, stepSystem, stepSkills, stepEnv, stepFiles, stepRepo} {
		d.press(map[stepID][]string{stepHarness: {"enter"}, stepModel: {"enter"}, stepSystem: {"enter", "tab"},
			stepSkills: {"enter"}, stepEnv: {"tab"}, stepFiles: {"tab"}, stepRepo: {"enter", "enter"}}[id]...)
	}
	d.see("Step 9 of 10")
	d.typeText("pytest==8.3.3")
	d.press("enter", "tab")
	d.press("enter", "enter", "enter")
	d.see("Will change: requirements")
	d.press("enter")
	d.see("! Saved agent agent_9, but the lapctl server did not keep: requirements", `warning: requirements: sent "pytest==8.3.3", the server kept ""`)
	d.notSee("✓")
}

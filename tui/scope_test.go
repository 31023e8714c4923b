package tui

import (
	"context"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/spec"
)

// A console scoped to one owner (an SSH key mapped to alice) lists only
// alice's agents, her agents' sessions and her own or shared skills.
func TestScopedConsoleShowsOneOwner(t *testing.T) {
	_, c := startServer(t)
	ctx := context.Background()
	alice := mustAgent(t, c, spec.AgentSpec{Name: "alice-agent", OwnerID: "alice", Harness: "opencode"})
	bob := mustAgent(t, c, spec.AgentSpec{Name: "bob-agent", OwnerID: "bob", Harness: "opencode"})
	for _, a := range []*spec.Agent{alice, bob} {
		if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: a.Name + "-session"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sk := range []spec.SkillSpec{
		{Name: "alice-skill", Content: "a", OwnerID: "alice"},
		{Name: "bob-skill", Content: "b", OwnerID: "bob"},
		{Name: "shared-skill", Content: "s"},
	} {
		if _, err := c.CreateSkill(ctx, &sk); err != nil {
			t.Fatal(err)
		}
	}
	opts := testOptions(c)
	opts.Scope = client.Scope{Owner: "alice"}
	tm := startTM(t, opts, 100, 30)
	waitFor(t, tm, "● ok", "alice-agent")
	tm.Type("2")
	waitFor(t, tm, "Sessions 1 · 1 live", "alice-agent")
	tm.Type("3")
	waitFor(t, tm, "alice-skill", "shared-skill")
	frame := finalFrame(t, tm)
	for _, hidden := range []string{"bob-agent", "bob-skill"} {
		if strings.Contains(frame, hidden) {
			t.Errorf("the console scoped to alice shows %s:\n%s", hidden, frame)
		}
	}
	m := tm.FinalModel(t).(*recorder).Model.(*Model)
	if got := m.agents.View() + m.sessions.View(); strings.Contains(got, "bob-") {
		t.Errorf("other pages show bob's objects:\n%s", got)
	}
}

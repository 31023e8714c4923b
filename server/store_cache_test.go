package server

import (
	"context"
	"fmt"
	"testing"

	"lapctl/spec"
)

// TestListedAgentsFollowEveryChange lists an agent (so it is cached),
// then changes it every way the store can and lists it again after each
// change: a page must never show the cached agent once it has changed,
// and one response's copy must not leak into the next.
func TestListedAgentsFollowEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openTestStore(t, t.TempDir())
	a := &agentRecord{AgentSpec: spec.AgentSpec{Name: "cached", OwnerID: "o", Harness: "codex",
		EnvVars: map[string]string{"TOKEN": "v1"}, RepoURL: "https://user:pw1@example.com/r.git"},
		ID: newID(prefixAgent), Status: spec.StatusActive, CreatedAt: 1, UpdatedAt: 1}
	if err := st.createAgent(ctx, a); err != nil {
		t.Fatal(err)
	}
	listOne := func() *agentRecord {
		t.Helper()
		page, _, err := st.listAgents(ctx, agentQuery{Sort: "created_at", Desc: true, Limit: 10})
		if err != nil || len(page) != 1 {
			t.Fatalf("list: %v, %v", page, err)
		}
		return page[0]
	}
	first := listOne()
	if first.EnvVars["TOKEN"] != "v1" || first.RepoURL != "https://user:pw1@example.com/r.git" {
		t.Fatalf("first list: env %v, repo %q", first.EnvVars, first.RepoURL)
	}
	first.EnvVars["TOKEN"] = "scribbled" // a response's copy is its own
	if again := listOne(); again.EnvVars["TOKEN"] != "v1" {
		t.Fatalf("a response's edit reached the cache: %v", again.EnvVars)
	}

	for i, change := range []func(*agentRecord){
		func(r *agentRecord) { r.System = "new prompt" },
		func(r *agentRecord) { r.EnvVars = map[string]string{"TOKEN": "v2"} },
		func(r *agentRecord) { r.RepoURL = "https://user:pw2@example.com/r.git" },
		func(r *agentRecord) {
			r.SandboxFiles = []spec.SandboxFile{{Name: "n", SandboxPath: "~/n.md", Content: "aGk=", Size: 2}}
		},
	} {
		if _, err := st.updateAgent(ctx, a.ID, func(r *agentRecord) error { change(r); return nil }); err != nil {
			t.Fatal(err)
		}
		want, err := st.getAgent(ctx, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		got := listOne()
		if g, w := fmt.Sprint(got.System, got.EnvVars, got.RepoURL, len(got.SandboxFiles)),
			fmt.Sprint(want.System, want.EnvVars, want.RepoURL, len(want.SandboxFiles)); g != w {
			t.Fatalf("change %d: list shows %s, the agent is %s", i, g, w)
		}
	}
	if err := st.setAgentStatus(ctx, a.ID, spec.StatusPaused); err != nil {
		t.Fatal(err)
	}
	if got := listOne(); got.Status != spec.StatusPaused {
		t.Fatalf("status after pause = %s", got.Status)
	}
}

// TestAgentCacheIsBounded fills the cache well past its size: it keeps
// at most two generations, and the newest entries stay found.
func TestAgentCacheIsBounded(t *testing.T) {
	t.Parallel()
	var c agentCache
	n := 5 * agentCacheGeneration
	for i := range n {
		c.put(fmt.Sprint(i), 1, &agentRecord{})
	}
	if held := len(c.cur) + len(c.prev); held > 2*agentCacheGeneration {
		t.Fatalf("cache holds %d entries, bound %d", held, 2*agentCacheGeneration)
	}
	if c.get(fmt.Sprint(n-1), 1) == nil || c.get(fmt.Sprint(n-1), 2) != nil {
		t.Fatal("the newest entry is not found at its rev only")
	}
	if c.get("0", 1) != nil {
		t.Fatal("the oldest entry outlived two generations")
	}
}

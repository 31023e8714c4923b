package agents_test

import (
	"context"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/internal/gatewayfake"
)

// --accessible runs the builder as plain line prompts (huh's screen-reader
// mode) on a terminal: the agent is created from typed answers.
func TestCreateAccessibleFlag(t *testing.T) {
	env := clitest.New(t)
	answers := strings.Join([]string{
		"acc-cli", "", "made for a screen reader",
		"1",    // harness: opencode
		"1",    // first model
		"",     // no system prompt
		"0",    // skills: done
		"A=1",  // an env var
		"",     // env done
		"",     // files done
		"", "", // no repo, default branch
		"",         // no requirements
		"", "", "", // no MCP servers, allowed or blocked domains
		"1", // review: submit
		"1", // done
	}, "\n") + "\n"
	r := env.RunOpts(clitest.Opts{TTY: true, Stdin: answers}, "--accessible", "agents", "create")
	if r.Code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.Code, r.Out, r.Err)
	}
	got, err := env.Client().ListAllAgents(context.Background(), client.ListAgentsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "acc-cli" || got[0].Description != "made for a screen reader" || got[0].EnvVars["A"] != "1" {
		t.Fatalf("agents = %+v\nstdout: %s", got, r.Out)
	}
}

// On the gateway the builder asks only what the gateway stores, says in
// one line what it does not, and the CLI reports the agent as saved.
func TestCreateAccessibleGateway(t *testing.T) {
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "gk"})
	env := clitest.NewFor(t, g.URL, "gk")
	answers := strings.Join([]string{
		"gw-acc", "me", "", // name, owner, no description
		"1", // harness: claude-code
		"1", // first model
		"",  // no system prompt
		"0", // skills: done
		"1", // review: submit
		"1", // done
	}, "\n") + "\n"
	r := env.RunOpts(clitest.Opts{TTY: true, Stdin: answers}, "--accessible", "agents", "create")
	if r.Code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.Code, r.Out, r.Err)
	}
	all := r.Out + r.Err
	for _, want := range []string{"5 steps", "gateway does not store: env vars, files, repo, requirements, MCP servers, allowed/blocked domains", "Step 5 of 5: Skills", "✓ Created agent"} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Environment variables") || strings.Contains(all, "warning:") {
		t.Errorf("output asks for or warns about what the gateway does not store:\n%s", all)
	}
}

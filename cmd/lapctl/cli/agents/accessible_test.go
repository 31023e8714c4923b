package agents_test

import (
	"context"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/clitest"
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

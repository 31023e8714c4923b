package agents_test

import (
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
)

// TestCreateDuplicateName: without a terminal a second agent with the
// same name is refused (exit 2, naming the flag); the flag allows it; on a
// terminal it is asked, and "no" creates nothing.
func TestCreateDuplicateName(t *testing.T) {
	e := clitest.New(t)
	e.OK("agents", "create", "--name", "twin")
	e.Run("agents", "create", "--name", "twin").Fail(t, 2, "already exists", "--allow-duplicate-name")
	if n := agentCount(t, e); n != 1 {
		t.Fatalf("%d agents after the refused create", n)
	}
	p := &clitest.FakePrompter{ConfirmAnswer: false}
	r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "agents", "create", "--name", "twin")
	if r.Code != 130 || len(p.Asked) != 1 || !strings.Contains(p.Asked[0], "second agent named") {
		t.Errorf("terminal, answered no: exit %d, asked %q, stderr %s", r.Code, p.Asked, r.Err)
	}
	e.OK("agents", "create", "--name", "twin", "--allow-duplicate-name")
	if n := agentCount(t, e); n != 2 {
		t.Errorf("%d agents, want 2 after --allow-duplicate-name", n)
	}
}

// TestDryRunChecksServerLists: an unknown harness, model or skill fails
// the dry run (exit 7) instead of passing and failing later with a 400.
func TestDryRunChecksServerLists(t *testing.T) {
	e := clitest.New(t)
	e.Run("agents", "create", "--dry-run", "--name", "d", "--harness", "no-such-harness").Fail(t, 7, "harness", "no-such-harness")
	e.Run("agents", "create", "--dry-run", "--name", "d", "--model", "nobody/no-model").Fail(t, 7, "model", "nobody/no-model")
	e.Run("agents", "create", "--dry-run", "--name", "d", "--skill", "no-such-skill").Fail(t, 3, "no-such-skill")
	if n := agentCount(t, e); n != 0 {
		t.Errorf("dry runs created %d agents", n)
	}
}

// TestAmbiguousNamePicker: on a terminal an ambiguous name offers the
// matches and acts on the one picked; without one it fails naming them.
func TestAmbiguousNamePicker(t *testing.T) {
	e := clitest.New(t)
	e.OK("agents", "create", "--name", "twin")
	e.OK("agents", "create", "--name", "twin", "--allow-duplicate-name")
	e.Run("agents", "get", "twin").Fail(t, 1, "matches 2 agents")

	p := &clitest.FakePrompter{}
	r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "agents", "get", "twin", "--json")
	if r.Code != 0 || len(p.Offered) != 1 || len(p.Offered[0]) != 2 {
		t.Fatalf("picker: exit %d, offered %v, stderr %s", r.Code, p.Offered, r.Err)
	}
	id, _, _ := strings.Cut(p.Offered[0][0], " (")
	if !strings.Contains(r.Out, id) {
		t.Errorf("got %s, want the picked agent %s", r.Out, id)
	}
}

package agents_test

import (
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/spec"
)

// A credential in repo_url is a secret in every view: the detail, --json,
// the list's JSON and --debug's log of the exchange. --show-secrets is the
// one way to see it.
func TestRepoCredentialsMaskedInEveryView(t *testing.T) {
	const token = "ghp_V1EWtoken777"
	e := clitest.New(t)
	seed(t, e, spec.AgentSpec{Name: "private", RepoURL: "https://alice:" + token + "@git.example.com/org/repo.git"})
	views := map[string]clitest.Result{
		"get":         e.Run("agents", "get", "private"),
		"get --json":  e.Run("agents", "get", "private", "--json"),
		"get --debug": e.Run("agents", "get", "private", "--debug"),
		"list --json": e.Run("agents", "list", "--json"),
	}
	for name, r := range views {
		if r.Code != 0 {
			t.Fatalf("%s: exit %d: %s", name, r.Code, r.Err)
		}
		if strings.Contains(r.Out+r.Err, token) {
			t.Errorf("%s shows the repo token:\n%s\n%s", name, r.Out, r.Err)
		}
	}
	if out := views["get"].Out; !strings.Contains(out, "https://****@git.example.com/org/repo.git") {
		t.Errorf("detail view lacks the masked URL:\n%s", out)
	}
	if shown := e.OK("agents", "get", "private", "--json", "--show-secrets"); !strings.Contains(shown, token) {
		t.Errorf("--show-secrets hides the URL:\n%s", shown)
	}
}

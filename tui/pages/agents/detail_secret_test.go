package agents

import (
	"strings"
	"testing"
	"time"

	"lapctl/assets"
	"lapctl/spec"
	"lapctl/tui/styles"
)

// The console's detail view masks a credential in repo_url, revealed or not.
func TestDetailMasksRepoCredentials(t *testing.T) {
	st := styles.New(true, assets.MustTheme(assets.ThemeNames()[0]))
	a := &spec.Agent{ID: "agent_1", Name: "p", RepoURL: "https://bob:ghp_TUItoken99@git.example.com/o/r.git", Branch: "main"}
	for _, reveal := range []bool{false, true} {
		out := detailText(st, a, nil, reveal, time.Now(), 120)
		if strings.Contains(out, "ghp_TUItoken99") || !strings.Contains(out, "https://****@git.example.com/o/r.git") {
			t.Errorf("reveal=%v: detail shows\n%s", reveal, out)
		}
	}
}

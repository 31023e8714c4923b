package layering

import (
	"os/exec"
	"strings"
	"testing"
)

// uiLibraries are the terminal UI libraries, v2 and v1 paths both.
var uiLibraries = []string{
	"charm.land/",
	"github.com/charmbracelet/bubbletea",
	"github.com/charmbracelet/bubbles",
	"github.com/charmbracelet/lipgloss",
	"github.com/charmbracelet/huh",
	"github.com/charmbracelet/wish",
	"github.com/muesli/termenv",
}

// rules: pkg (with everything it imports, transitively) must not import
// anything under the forbidden prefixes.
var rules = []struct {
	pkg       string
	forbidden []string
	why       string
}{
	{pkg: "lapctl/ptyattach", forbidden: append([]string{"lapctl/tui", "lapctl/forms", "lapctl/sshserve", "lapctl/cmd/", "lapctl/server"}, uiLibraries...),
		why: "ptyattach is a terminal bridge: the tea.Exec adapter lives in tui"},
	{pkg: "lapctl/forms", forbidden: []string{"lapctl/tui", "lapctl/cmd/", "lapctl/sshserve", "lapctl/server"},
		why: "forms is used by tui and cmd, so it cannot use them"},
	{pkg: "lapctl/client", forbidden: []string{"lapctl/config", "lapctl/tui", "lapctl/forms", "lapctl/cmd/", "lapctl/server", "lapctl/sshserve", "lapctl/ptyattach"},
		why: "client is the API client: the config file is the caller's"},
	{pkg: "lapctl/iostreams", forbidden: append([]string{"lapctl/"}, uiLibraries...),
		why: "iostreams is the bottom of the command stack"},
	{pkg: "lapctl/spec", forbidden: []string{"lapctl/client", "lapctl/config", "lapctl/cmd/", "lapctl/tui", "lapctl/forms",
		"lapctl/server", "lapctl/sshserve", "lapctl/ptyattach", "lapctl/iostreams", "lapctl/human", "lapctl/assets", "lapctl/internal/", "lapctl/version"},
		why: "spec is the contract everything else builds on (it may use secret, a leaf, to mask credentials in its messages)"},
	{pkg: "lapctl/internal/rawio", forbidden: []string{"lapctl/"},
		why: "rawio is a leaf under the server's and attach's terminal paths"},
	{pkg: "lapctl/internal/cpustat", forbidden: []string{"lapctl/"},
		why: "cpustat is a leaf the benchmarks read the machine's CPU split with"},
	{pkg: "lapctl/secret", forbidden: []string{"lapctl/"},
		why: "secret is a leaf: spec and everything above it mask with it"},
	{pkg: "lapctl/config", forbidden: append([]string{"lapctl/client", "lapctl/tui", "lapctl/forms", "lapctl/cmd/", "lapctl/server", "lapctl/sshserve"}, uiLibraries...),
		why: "config is read by every layer above it"},
	{pkg: "lapctl/server", forbidden: append([]string{"lapctl/tui", "lapctl/forms", "lapctl/cmd/", "lapctl/client", "lapctl/sshserve", "lapctl/ptyattach"}, uiLibraries...),
		why: "the embedded server never depends on the console or the client"},
	{pkg: "lapctl/tui", forbidden: []string{"lapctl/cmd/", "lapctl/server", "lapctl/sshserve"},
		why: "the console is served by cmd and sshserve, not the other way round"},
	{pkg: "lapctl/sshserve", forbidden: []string{"lapctl/cmd/", "lapctl/tui", "lapctl/forms", "lapctl/server"},
		why: "sshserve gets the command tree and the console injected"},
}

// deps lists pkg and everything it imports (go list -deps).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr)
	}
	return strings.Fields(string(out))
}

func TestImportRules(t *testing.T) {
	for _, r := range rules {
		t.Run(r.pkg, func(t *testing.T) {
			t.Parallel()
			broken := violations(r.pkg, deps(t, r.pkg), r.forbidden)
			if len(broken) > 0 {
				t.Errorf("%s must not import %s (%s)", r.pkg, strings.Join(broken, ", "), r.why)
			}
		})
	}
}

// violations are the packages in deps (pkg's own aside) under a forbidden
// path: "a/b" forbids a/b and a/b/..., "a/" everything under a/.
func violations(pkg string, deps, forbidden []string) []string {
	var broken []string
	for _, d := range deps {
		if d == pkg {
			continue
		}
		for _, f := range forbidden {
			if d == f || strings.HasPrefix(d, strings.TrimSuffix(f, "/")+"/") {
				broken = append(broken, d)
				break
			}
		}
	}
	return broken
}

// TestRulesCanBreak runs the matcher on real go list output that does
// break a rule (tui imports UI libraries and forms), so a passing
// TestImportRules means something.
func TestRulesCanBreak(t *testing.T) {
	got := violations("lapctl/tui", deps(t, "lapctl/tui"), append([]string{"lapctl/forms"}, uiLibraries...))
	var ui, forms bool
	for _, d := range got {
		ui = ui || strings.HasPrefix(d, "charm.land/")
		forms = forms || d == "lapctl/forms"
	}
	if !ui || !forms {
		t.Fatalf("tui's imports of charm.land and lapctl/forms were not caught: %v", got)
	}
	if v := violations("lapctl/tuix", []string{"lapctl/tuix"}, []string{"lapctl/tui"}); len(v) > 0 {
		t.Fatalf("lapctl/tui forbids lapctl/tuix: %v", v)
	}
}

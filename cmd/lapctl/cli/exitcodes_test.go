package cli_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli"
	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
)

// exitTable reads the "## Exit codes" table of a doc: code → meaning.
func exitTable(t *testing.T, path string) map[int]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i := strings.Index(doc, "## Exit codes")
	if i < 0 {
		t.Fatalf("%s has no Exit codes section", path)
	}
	section := doc[i+len("## Exit codes"):]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	row := regexp.MustCompile(`(?m)^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$`)
	out := map[int]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		code, _ := strconv.Atoi(m[1])
		if _, dup := out[code]; dup {
			break // the next table (attach's own codes) begins
		}
		out[code] = m[2]
	}
	return out
}

// TestExitCodeTablesMatchEveryCommand checks README's and docs/cli.md's
// tables against the codes lapctl uses, then runs every command path with
// an unknown flag: each exits with the table's usage code and names the flag.
func TestExitCodeTablesMatchEveryCommand(t *testing.T) {
	readme, clidoc := exitTable(t, "../../../README.md"), exitTable(t, "../../../docs/cli.md")
	consts := map[int]string{
		0: "success", cmdutil.ExitError: "error", cmdutil.ExitUsage: "usage", cmdutil.ExitNotFound: "not found",
		cmdutil.ExitAuth: "auth", cmdutil.ExitConflict: "conflict", cmdutil.ExitUnreachable: "reach",
		cmdutil.ExitValidation: "validation", cmdutil.ExitCancel: "cancel",
	}
	for name, table := range map[string]map[int]string{"README.md": readme, "docs/cli.md": clidoc} {
		for code, word := range consts {
			if !strings.Contains(strings.ToLower(table[code]), word) {
				t.Errorf("%s: code %d reads %q, want it to mean %s", name, code, table[code], word)
			}
		}
		for code := range table {
			if _, ok := consts[code]; !ok {
				t.Errorf("%s lists exit code %d, which lapctl never uses", name, code)
			}
		}
	}

	ios, _, _, _ := iostreams.Test()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(cli.NewRootCmd(cmdutil.New(ios)), nil)
	if len(paths) < 20 {
		t.Fatalf("walked only %d command paths", len(paths))
	}
	e := clitest.New(t)
	for _, p := range paths {
		args := append(append([]string{}, p...), "--no-such-flag")
		r := e.Run(args...)
		r.Fail(t, cmdutil.ExitUsage, "unknown flag: --no-such-flag")
	}
}

// TestUsageOnlyForUsageErrors: a not-found reference exits 3 without the
// usage text; a usage mistake prints it; an unknown flag gets suggestions.
func TestUsageOnlyForUsageErrors(t *testing.T) {
	e := clitest.New(t)
	r := e.Run("agents", "get", "no-such-agent")
	if r.Code != cmdutil.ExitNotFound || strings.Contains(r.Err, "Usage:") {
		t.Errorf("not found: exit %d, stderr:\n%s", r.Code, r.Err)
	}
	e.Run("agents", "list", "--jsn").Fail(t, 2, "unknown flag: --jsn", "Did you mean this?", "--json", "Usage:")
	e.Run("agents", "list", "--limt", "3").Fail(t, 2, "--limit")
	// Inherited flags are suggested too.
	e.Run("agents", "list", "--contxt", "x").Fail(t, 2, "--context")
}

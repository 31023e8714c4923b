package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/internal/gatewayfake"
	"lapctl/internal/managedfake"
	"lapctl/server/servertest"
)

// target is one server the operator flows run against.
type target struct {
	platform string
	env      *clitest.Env
	// harness is one whose sessions take messages there.
	harness string
	// requests counts what reached the server ("METHOD /path"); nil for
	// the embedded server, whose tests check state instead.
	requests func(string) int
}

func targets(t *testing.T) []target {
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "gk", ReplyDelay: 40 * time.Millisecond})
	m := managedfake.Start(t, managedfake.Options{MasterKey: "mk", PhaseStep: 3 * time.Millisecond})
	return []target{
		{platform: "lapctl", env: clitest.New(t, servertest.WithHarnessCmd("opencode", "tr a-z A-Z")), harness: "opencode"},
		{platform: "gateway", env: clitest.NewFor(t, g.URL, "gk"), harness: "claude-code", requests: g.Requests},
		{platform: "managed", env: clitest.NewFor(t, m.URL, "mk"), harness: "opencode", requests: m.Requests},
	}
}

// want is a flow's outcome on one platform: the exit code and what
// stderr must name.
type want struct {
	code int
	errs []string
}

// The same operator flows on each platform: each works fully, or is
// refused before anything is sent with a message naming what is missing.
func TestOperatorFlowsOnEveryPlatform(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.platform, func(t *testing.T) {
			t.Parallel()
			e := tg.env
			run := func(w map[string]want, args ...string) clitest.Result {
				t.Helper()
				r := e.RunOpts(clitest.Opts{TTY: true, Width: 200}, args...)
				exp := w[tg.platform]
				if r.Code != exp.code {
					t.Fatalf("lapctl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.Code, exp.code, r.Out, r.Err)
				}
				for _, s := range exp.errs {
					if !strings.Contains(r.Err, s) {
						t.Errorf("lapctl %s: stderr lacks %q:\n%s", strings.Join(args, " "), s, r.Err)
					}
				}
				return r
			}
			ok := map[string]want{"lapctl": {}, "gateway": {}, "managed": {}}

			// Create with every field: only the embedded server keeps them all.
			full := []string{"agents", "create", "--name", "full", "--model", "m1", "--system", "sys", "--description", "d",
				"--harness", tg.harness, "--repo-url", "https://github.com/acme/app", "--branch", "dev", "--env", "TOKEN=s3cret-v",
				"--deny-out", "evil.example", "--allow-out", "github.com", "--mcp", "gh", "--requirements", "x==1"}
			r := run(map[string]want{"lapctl": {},
				"gateway": {7, []string{"gateway platform does not store", "requirements", "repo_url", "branch", "deny_out", "env_vars"}},
				"managed": {7, []string{"managed platform does not store", "description"}}}, full...)
			if tg.platform == "lapctl" {
				if !strings.Contains(r.Out, "✓ Created agent full") {
					t.Errorf("stdout %q", r.Out)
				}
				var got map[string]any
				if err := json.Unmarshal([]byte(e.OK("agents", "get", "full", "--json", "repo_url,branch,deny_out,env_vars")), &got); err != nil {
					t.Fatal(err)
				}
				if got["repo_url"] != "https://github.com/acme/app" || got["branch"] != "dev" || got["env_vars"].(map[string]any)["TOKEN"] == "s3cret-v" {
					t.Errorf("get --json = %v (env value must be masked)", got)
				}
			} else if n := tg.requests("POST /api/agents") + tg.requests("POST "+managedfake.Prefix+"/agents"); n != 0 {
				t.Errorf("refused create still sent %d requests", n)
			}

			// --allow-drop sends it and names every field lost, without a ✓
			// and without the env value.
			if tg.platform != "lapctl" {
				r = run(ok, append(full, "--name", "dropped", "--allow-drop")...)
				if strings.Contains(r.Out, "✓") || !strings.Contains(r.Out, "but the server did not keep") || strings.Contains(r.Out+r.Err, "s3cret-v") {
					t.Errorf("--allow-drop:\nstdout %s\nstderr %s", r.Out, r.Err)
				}
				lost := map[string]string{"gateway": "env_vars.TOKEN", "managed": "description"}[tg.platform]
				if !strings.Contains(r.Err, "did not keep "+lost) {
					t.Errorf("stderr lacks the lost %s:\n%s", lost, r.Err)
				}
			}

			// What each platform keeps works fully, with a ✓.
			r = run(ok, "agents", "create", "--name", "kept", "--model", "m1", "--system", "be brief", "--harness", tg.harness)
			if !strings.Contains(r.Out, "✓ Created agent kept") || strings.Contains(r.Err, "did not keep") {
				t.Errorf("create:\nstdout %s\nstderr %s", r.Out, r.Err)
			}
			if out := e.OK("agents", "get", "kept", "--jq", ".model"); strings.TrimSpace(out) != "m1" {
				t.Errorf("get --jq .model = %q", out)
			}

			// The gateway's claude-code takes messages: no (TUI) mark.
			if out := e.OK("agents", "list", "--search", "kept"); !strings.Contains(out, tg.harness+" (API)") {
				t.Errorf("agents list: %q, want %s (API)", out, tg.harness)
			}

			// Edit.
			run(ok, "agents", "edit", "kept", "--model", "m2")
			if out := e.OK("agents", "get", "kept", "--jq", ".model"); strings.TrimSpace(out) != "m2" {
				t.Errorf("after edit, model = %q", out)
			}
			run(map[string]want{"lapctl": {}, "gateway": {7, []string{"gateway", "env_vars"}}, "managed": {}}, "agents", "edit", "kept", "--add-env", "A=1")

			// List, search and paging come out the same everywhere.
			for _, n := range []string{"alpha-1", "alpha-2", "beta"} {
				run(ok, "agents", "create", "--name", n, "--harness", tg.harness)
			}
			if out := e.OK("agents", "list", "--search", "alpha", "--sort", "name", "--order", "asc", "--jq", ".[].name"); out != "alpha-1\nalpha-2\n" {
				t.Errorf("search = %q", out)
			}
			if out := e.OK("agents", "list", "--search", "alpha", "--sort", "name", "--order", "asc", "--limit", "1", "--offset", "1", "--json", "name", "--jq", ".[].name"); out != "alpha-2\n" {
				t.Errorf("page 2 = %q", out)
			}

			// Sessions: start, then message (the gateway's reply is async).
			e.Run("agents", "resume", "kept") // pause stops sessions only on some servers
			var s map[string]any
			if err := json.Unmarshal([]byte(e.OK("sessions", "create", "--agent", "kept", "--title", "t1", "--json")), &s); err != nil {
				t.Fatal(err)
			}
			id, _ := s["id"].(string)
			r = run(ok, "sessions", "send", id, "hello there", "--timeout", "20s")
			if !strings.Contains(strings.ToLower(r.Out), "hello there") {
				t.Errorf("reply = %q", r.Out)
			}
			run(map[string]want{"lapctl": {}, "gateway": {7, []string{"gateway", "--env"}}, "managed": {}},
				"sessions", "create", "--agent", "kept", "--env", "A=1", "--json")
			r = run(map[string]want{"lapctl": {}, "gateway": {}, "managed": {5, []string{"managed platform has no session list"}}},
				"sessions", "list", "--agent", "kept", "--json", "id")
			if tg.platform != "managed" {
				if !strings.Contains(r.Out, id) {
					t.Errorf("sessions list --agent kept lacks %s: %s", id, r.Out)
				}
				other := e.OK("sessions", "list", "--agent", "beta", "--json", "id")
				if strings.Contains(other, id) {
					t.Errorf("--agent beta lists kept's session: %s", other)
				}
			}

			// Catalogs, and health (the managed server has no /health).
			run(ok, "health")
			run(ok, "harnesses")
			run(map[string]want{"lapctl": {}, "gateway": {}, "managed": {5, []string{"model catalog"}}}, "models")
			if r := run(ok, "status"); !strings.Contains(r.Out, tg.platform+" (learned from the server)") {
				t.Errorf("status:\n%s", r.Out)
			}

			if r := run(ok, "--platform", tg.platform, "status"); !strings.Contains(r.Out, tg.platform+" (forced") {
				t.Errorf("status --platform:\n%s", r.Out)
			}
			e.Run("--platform", "bogus", "agents", "list").Fail(t, 2, "unknown platform")

			// Delete.
			run(ok, "agents", "delete", "alpha-1", "--yes")
			e.Run("agents", "get", "alpha-1").Fail(t, 3)
		})
	}
}

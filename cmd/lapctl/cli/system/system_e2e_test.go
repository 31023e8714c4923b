package system_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/cmd/lapctl/cli/system"
	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestSystemCommands(t *testing.T) {
	e := clitest.New(t,
		servertest.WithHarnessCmd("opencode", "cat"),
		servertest.WithHarnessCmd("my-alias", "cat"),
		servertest.WithOptions(func(o *server.Options) { o.Models = []string{"m-one", "m-two"} }))

	var models []spec.Model
	e.JSON(&models, "models", "--json")
	if len(models) != 2 || models[0].ID != "m-one" || models[1].ID != "m-two" {
		t.Errorf("models = %+v", models)
	}
	if out := e.OK("models"); !strings.HasPrefix(out, "m-one\t") {
		t.Errorf("piped models = %q", out)
	}

	var runtimes []spec.Runtime
	e.JSON(&runtimes, "runtimes", "--json")
	if len(runtimes) == 0 || runtimes[0].ID == "" {
		t.Errorf("runtimes = %+v", runtimes)
	}

	var harnesses []system.Harness
	e.JSON(&harnesses, "harnesses", "--json")
	byID := map[string]system.Harness{}
	for _, h := range harnesses {
		byID[h.ID] = h
	}
	for id, want := range map[string]struct {
		kind              string
		available, shared bool
	}{
		"opencode":         {spec.KindAPI, true, false},
		"claude-agent-sdk": {spec.KindAPI, false, false},
		"claude-code":      {spec.KindTUI, true, false},
		"codex":            {spec.KindTUI, true, false},
		"my-alias":         {spec.KindAPI, true, true},
	} {
		h, ok := byID[id]
		if !ok || h.Kind != want.kind || h.Available != want.available || h.Registered != want.shared {
			t.Errorf("harness %s = %+v (present %v), want %+v", id, h, ok, want)
		}
	}
	r := e.RunOpts(clitest.Opts{TTY: true, Width: 100}, "harnesses")
	if !strings.Contains(r.Out, "KIND") || !strings.Contains(r.Out, "TUI") || !strings.Contains(r.Out, "registered") {
		t.Errorf("harness table:\n%s", r.Out)
	}

	if out := e.OK("health"); !strings.Contains(out, "ok: "+e.Srv.URL) {
		t.Errorf("health = %q", out)
	}
	var h map[string]string
	e.JSON(&h, "health", "--json")
	if h["status"] != "ok" || h["base_url"] != e.Srv.URL {
		t.Errorf("health --json = %v", h)
	}
}

func TestHealthDown(t *testing.T) {
	e := clitest.New(t)
	url := e.Srv.URL
	// A request first: it proves the server is serving, so Close closes
	// its listener and the port refuses connections.
	e.OK("health")
	e.Srv.Close()
	r := e.Run("health")
	r.Fail(t, 6, "cannot reach "+url, "lapctl serve")
	r = e.Run("health", "--json")
	if r.Code != 6 || r.Err != "" {
		t.Errorf("health --json down: exit %d, stderr %q", r.Code, r.Err)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(r.Out), &body); err != nil || body["status"] != "down" || body["error"] == "" {
		t.Errorf("health --json down = %q (%v)", r.Out, err)
	}
}

func TestVersion(t *testing.T) {
	e := clitest.New(t)
	var v map[string]string
	e.JSON(&v, "version", "--json")
	if v["version"] == "" || v["go"] != runtime.Version() || v["platform"] != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("version --json = %v", v)
	}
	if out := e.OK("version"); !strings.HasPrefix(out, "lapctl "+v["version"]) {
		t.Errorf("version = %q", out)
	}
}

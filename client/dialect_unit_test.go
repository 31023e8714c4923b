package client

import (
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"lapctl/spec"
)

// The client must not import config (config's callers pass plain values):
// go list sees every import, direct or not.
func TestClientDoesNotImportConfig(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "lapctl/client").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 || !slices.Contains(deps, "lapctl/spec") {
		t.Fatalf("go list gave no real dependency list: %q", out)
	}
	if slices.Contains(deps, "lapctl/config") {
		t.Error("lapctl/client imports lapctl/config")
	}
}

func TestParseAPIErrorShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		status     int
		msg, field string
		issues     []Issue
		html       bool
	}{
		{name: "gateway", status: 404, body: `{"error":{"type":"gateway_error","message":"agent not found"}}`, msg: "agent not found"},
		{name: "axum plain text", status: 422, body: "Failed to deserialize the JSON body into the target type: missing field `name` at line 1 column 2", msg: "Failed to deserialize the JSON body into the target type: missing field `name` at line 1 column 2"},
		{name: "managed text", status: 400, body: `{"error":"unknown harness_id \"x\""}`, msg: `unknown harness_id "x"`},
		{name: "managed nested", status: 400, body: `{"error":{"error":"unknown harness_id \"x\". Valid: opencode"}}`, msg: `unknown harness_id "x". Valid: opencode`},
		{name: "zod", status: 400, body: `{"error":[{"code":"invalid_string","message":"invalid env var name","path":["env_vars","1BAD"]},{"code":"custom","message":"sandbox_path must start with / or ~","path":["sandbox_files",0,"sandbox_path"]},{"code":"invalid_type","message":"Required","path":["harness_id"]}]}`,
			msg: "the server refused the request", issues: []Issue{{"env_vars.1BAD", "invalid env var name"}, {"sandbox_files[0].sandbox_path", "sandbox_path must start with / or ~"}, {"harness", "Required"}}},
		{name: "html", status: 404, body: "<!DOCTYPE html><html><body>404</body></html>", msg: "<!DOCTYPE html><html><body>404</body></html>", html: true},
	} {
		e := parseAPIError("POST", "/x", tc.status, "", []byte(tc.body))
		if e.Message != tc.msg || !slices.Equal(e.Issues, tc.issues) || e.HTML != tc.html {
			t.Errorf("%s: got message %q issues %v html %v", tc.name, e.Message, e.Issues, e.HTML)
		}
		if len(tc.issues) > 0 && !strings.Contains(e.Error(), "\n  env_vars.1BAD: invalid env var name") {
			t.Errorf("%s: Error() = %q, want one field: message line per issue", tc.name, e.Error())
		}
		if fe := e.FieldErrors(); len(fe) != len(tc.issues) || (len(fe) > 0 && fe[2].Field != "harness") {
			t.Errorf("%s: FieldErrors = %v", tc.name, fe)
		}
	}
	if !suggestsOtherServer(parseAPIError("GET", "/api/harnesses", 404, "", []byte("404 page not found"))) {
		t.Error("a plain-text 404 (no such route) should suggest another server")
	}
	if suggestsOtherServer(parseAPIError("GET", "/api/agents/x", 404, "", []byte(`{"error":{"type":"not_found","message":"no agent"}}`))) {
		t.Error("a JSON 404 is a real not-found")
	}
	if e := parseAPIError("GET", "/", http.StatusBadRequest, "", []byte(`{"error":{"type":"invalid_request","message":"m"}}`)); !e.typed || e.Type != spec.ErrInvalidRequest {
		t.Errorf("typed body: %+v", e)
	}
}

func TestCompareCreateNamesEachLostFieldWithoutValues(t *testing.T) {
	t.Parallel()
	rt := "cloud"
	s := &spec.AgentSpec{Name: "a", OwnerID: "o", Model: "m", Harness: "codex", Runtime: &rt,
		EnvVars: map[string]string{"TOKEN": "s3cret-value", "KEPT": "v"}, DenyOut: []string{"evil.example"},
		SandboxFiles: []spec.SandboxFile{{Name: "n", SandboxPath: "~/n", Content: "eA==", Size: 1}}}
	got := &spec.Agent{Name: "a", OwnerID: "o", Model: "m", Harness: "claude-code", Config: map[string]any{"runtime": "cloud"},
		EnvVars: map[string]string{"KEPT": "v"}}
	losses := CompareCreate(s, got)
	var fields []string
	for _, l := range losses {
		fields = append(fields, l.Field)
		if strings.Contains(l.String(), "s3cret") {
			t.Errorf("loss %q prints an env value", l)
		}
	}
	want := []string{"harness", "deny_out", "env_vars.TOKEN", "sandbox_files"}
	if !slices.Equal(fields, want) {
		t.Errorf("losses = %v, want %v", losses, want)
	}
	if l := CompareCreate(&spec.AgentSpec{Name: "a", OwnerID: "o"}, &spec.Agent{Name: "a", OwnerID: "o", Model: "default", Branch: "main", Status: "paused"}); len(l) != 0 {
		t.Errorf("server defaults reported as losses: %v", l)
	}
}

func TestUnstoredPerPlatform(t *testing.T) {
	t.Parallel()
	s := &spec.AgentSpec{Name: "a", OwnerID: "o", Harness: "codex", RepoURL: "https://x/y", DenyOut: []string{"d"}, System: "sys"}
	if got := CapabilitiesOf(PlatformGateway).Unstored(s); !slices.Equal(got, []string{"repo_url", "deny_out", "harness=codex"}) {
		t.Errorf("gateway: %v", got)
	}
	if got := CapabilitiesOf(PlatformManaged).Unstored(s); !slices.Equal(got, []string{"owner_id"}) {
		t.Errorf("managed: %v", got)
	}
	if got := CapabilitiesOf(PlatformLapctl).Unstored(s); len(got) != 0 {
		t.Errorf("lapctl: %v", got)
	}
	if got := CapabilitiesOf(PlatformManaged).NotStored(true); !slices.Equal(got, []string{"owner_id", "description", "runtime", "harness", "config", "tools", "requirements", "repo_url", "skill_ids"}) {
		t.Errorf("managed edit drops %v", got)
	}
	tools := "x"
	if got := CapabilitiesOf(PlatformGateway).UnstoredPatch(&spec.AgentPatch{Name: &tools, Harness: &tools}); len(got) != 0 {
		t.Errorf("gateway patch keeps name and any harness string: %v", got)
	}
}

package forms

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/spec"
)

// envDriver opens the builder on the env step, with initial env vars.
func envDriver(t *testing.T, env map[string]string) *driver {
	t.Helper()
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", Initial: &spec.AgentSpec{EnvVars: env}})
	walkToEnv(t, d)
	return d
}

// addKey starts a new row and types key (nothing is saved).
func addKey(d *driver, key string) {
	d.press("a")
	d.typeText(key)
}

func TestEnvKeyPattern(t *testing.T) {
	d := envDriver(t, nil)
	for _, bad := range []string{"1ABC", "A-B", "has space", "é"} {
		addKey(d, bad)
		d.see(fmt.Sprintf("✗ env var name %q is invalid: start with a letter or _, then use only letters, digits and _", bad))
		d.press("enter") // refused: still editing
		d.see("Add an environment variable")
		d.press("esc")
	}
	for _, good := range []string{"_OK", "a1", "GITHUB_TOKEN", "GH_TOKEN"} {
		addKey(d, good)
		d.notSee("✗")
		d.press("esc")
	}
}

func TestEnvBlankKeyOnlyAfterTry(t *testing.T) {
	d := envDriver(t, nil)
	d.press("a")
	d.notSee("✗") // nothing typed yet: no complaint
	d.press("enter")
	d.see(`✗ env var name "" is invalid`)
}

func TestEnvReservedKeys(t *testing.T) {
	d := envDriver(t, nil)
	for _, k := range spec.ReservedEnvKeys {
		addKey(d, k)
		if k == "GIT_TOKEN" {
			d.see("✗ GIT_TOKEN is reserved: the harness erases it after cloning; put a token the", "GITHUB_TOKEN or GH_TOKEN")
		} else {
			d.see("✗ env var name " + k + " is reserved by the platform, which sets it itself;")
		}
		d.press("enter")
		d.see("Add an environment variable")
		d.press("esc")
	}
	if len(d.b.d.Env) != 0 {
		t.Fatalf("reserved keys were saved: %v", d.b.d.Env)
	}
}

func TestEnvMaxKeysBoundary(t *testing.T) {
	env := map[string]string{}
	for i := range spec.MaxEnvVars - 1 {
		env[fmt.Sprintf("K%02d", i)] = "v"
	}
	d := envDriver(t, env)
	d.see("49/50 keys")
	addKey(d, "K49=v")
	d.see("With this one: 50/50 keys")
	d.notSee("✗")
	d.press("enter")
	d.see("50/50 keys")
	addKey(d, "K50=v")
	d.see("With this one: 51/50 keys", "✗ 51 env vars given; at most 50 are allowed: remove 1")
	d.press("enter")
	d.see("Add an environment variable") // refused
	d.press("esc")
	d.see("50/50 keys")
}

func TestEnvMaxBytesBoundary(t *testing.T) {
	// {"BIG":"…"} is 10 bytes plus the value: exactly the limit.
	d := envDriver(t, map[string]string{"BIG": strings.Repeat("x", spec.MaxEnvBytes-10)})
	d.see("1/50 keys · 16,384/16,384 bytes JSON")
	d.notSee("✗")
	d.press("enter") // edit BIG
	d.press("tab")
	d.typeText("y")
	d.see("With this one: 1/50 keys · 16,385/16,384 bytes JSON",
		"✗ env vars take 16385 bytes JSON-encoded; the limit is 16384: shorten or remove values (1 bytes over)")
	d.press("enter")
	d.see("Edit BIG") // refused
	d.press("backspace")
	d.notSee("✗")
	d.press("enter")
	d.see("16,384/16,384 bytes JSON")
}

func TestEnvDuplicateRevealDeleteUndo(t *testing.T) {
	d := envDriver(t, map[string]string{"TOKEN": "s3cr3t-value"})
	d.see("TOKEN", "••••••••")
	d.notSee("s3cr3t-value")
	addKey(d, "TOKEN")
	d.see("✗ TOKEN is set more than once (rows 1 and 2): keep one")
	d.press("esc")

	d.press("r")
	d.see("s3cr3t-value")
	d.press("r")
	d.notSee("s3cr3t-value")

	d.press("enter", "tab")
	d.see("Value (hidden; ctrl+r shows it)", "> ••••••••••••")
	d.press("ctrl+r")
	d.see("Value (shown; ctrl+r hides it)", "> s3cr3t-value")
	d.press("esc")

	d.press("d")
	d.see("0/50 keys", "Removed TOKEN; u puts it back.")
	d.press("u")
	d.see("1/50 keys")
	if d.b.d.Env[0] != (envRow{"TOKEN", "s3cr3t-value"}) {
		t.Fatalf("undo gave %v", d.b.d.Env)
	}
}

func TestEnvImportDotEnv(t *testing.T) {
	d := envDriver(t, map[string]string{"KEEP": "old"})
	path := filepath.Join(d.b.opts.StartDir, ".env")
	os.WriteFile(path, []byte("# a comment\nexport A=1\nKEEP=\"new\\nline\"\nB='quoted # not a comment'\nC=plain # comment\nREPO_URL=x\n"), 0o600)
	d.press("i")
	d.see("Import a .env file", "> "+path)
	d.press("enter")
	d.see("Imported " + path + ": 4 added, 1 replaced.")
	d.see("REPO_URL", "✗ env var name REPO_URL is reserved")
	d.press("tab")
	d.see("Step 6 of 10", "✗ Fix the env vars first: env var name REPO_URL is reserved")
	want := map[string]string{"KEEP": "new\nline", "A": "1", "B": "quoted # not a comment", "C": "plain", "REPO_URL": "x"}
	got := envMap(d.b.d.Env)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// Fix the flagged row in place: nothing imported is lost.
	d.press("up")
	for d.b.d.Env[d.b.steps[stepEnv].(*envStep).cursor].Key != "REPO_URL" {
		d.press("down")
	}
	d.press("d", "tab")
	d.see("Step 7 of 10")
}

func TestEnvImportMissingFile(t *testing.T) {
	d := envDriver(t, nil)
	d.press("i")
	d.clear()
	d.typeText("/nonexistent/.env")
	d.press("enter")
	d.see("✗ Could not import /nonexistent/.env")
}

func TestEnvPasteSplitsKeyValue(t *testing.T) {
	d := envDriver(t, nil)
	addKey(d, "LOG_LEVEL=debug=verbose")
	d.press("enter")
	if d.b.d.Env[0] != (envRow{"LOG_LEVEL", "debug=verbose"}) {
		t.Fatalf("row = %v", d.b.d.Env[0])
	}
}

package auth_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/config"
	"lapctl/server"
	"lapctl/server/servertest"
)

const key = "sk-test-0123456789abcdef"

// newEnv starts a server with a long key and an empty config file path.
func newEnv(t *testing.T) *clitest.Env {
	t.Helper()
	e := clitest.New(t, servertest.WithOptions(func(o *server.Options) { o.MasterKey = key }))
	e.ConfigPath = filepath.Join(t.TempDir(), "lapctl", "config.yaml")
	return e
}

func loadConfig(t *testing.T, path string) *config.Config {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func noKey(t *testing.T, r clitest.Result) {
	t.Helper()
	if strings.Contains(r.Out+r.Err, key) {
		t.Errorf("the key was printed:\nstdout: %s\nstderr: %s", r.Out, r.Err)
	}
}

func TestLoginWithFlags(t *testing.T) {
	e := newEnv(t)
	r := e.RunOpts(clitest.Opts{Stdin: key + "\n"}, "login", "--base-url", e.Srv.URL+"/", "--api-key-stdin", "--owner", "alice", "--model", "m1", "--context", "work")
	if r.Code != 0 {
		t.Fatalf("login: exit %d: %s", r.Code, r.Err)
	}
	noKey(t, r)
	if !strings.Contains(r.Out, `as context "work"`) {
		t.Errorf("output = %q", r.Out)
	}
	info, err := os.Stat(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("config mode = %04o, want 0600", mode)
	}
	cfg := loadConfig(t, e.ConfigPath)
	got := cfg.Context("work")
	if cfg.CurrentContext != "work" || got == nil || got.BaseURL != e.Srv.URL || got.MasterKey != key || got.OwnerID != "alice" || got.DefaultModel != "m1" {
		t.Errorf("saved %+v (current %q)", got, cfg.CurrentContext)
	}

	// The stored context now works without flags or env.
	e.OK("agents", "list")

	r = e.Run("logout")
	if r.Code != 0 || !strings.Contains(r.Out, `context "work"`) {
		t.Errorf("logout: %d %q %q", r.Code, r.Out, r.Err)
	}
	if c := loadConfig(t, e.ConfigPath).Context("work"); c.MasterKey != "" || c.BaseURL != e.Srv.URL {
		t.Errorf("after logout: %+v", c)
	}
	if r := e.Run("logout"); r.Code != 0 || !strings.Contains(r.Err, "holds no master key") {
		t.Errorf("second logout: %d %q", r.Code, r.Err)
	}
	e.Run("logout", "--context", "nope").Fail(t, 1, `no context named "nope"`)
}

func TestLoginVerifies(t *testing.T) {
	e := newEnv(t)
	r := e.RunOpts(clitest.Opts{Stdin: "sk-wrong-key-xxxxxxxx"}, "login", "--base-url", e.Srv.URL, "--api-key-stdin")
	r.Fail(t, 4, "rejected the master key", "nothing was saved")
	if _, err := os.Stat(e.ConfigPath); !os.IsNotExist(err) {
		t.Errorf("a config was written after a failed login: %v", err)
	}

	down := newEnv(t)
	url := down.Srv.URL
	down.OK("health", "--base-url", url)
	down.Srv.Close()
	r = down.RunOpts(clitest.Opts{Stdin: key}, "login", "--base-url", url, "--api-key-stdin")
	r.Fail(t, 6, "health check failed", "check the base URL")
	noKey(t, r)

	r = down.RunOpts(clitest.Opts{Stdin: key}, "login", "--base-url", url, "--api-key-stdin", "--no-verify")
	if r.Code != 0 {
		t.Errorf("--no-verify: %d %s", r.Code, r.Err)
	}
}

func TestLoginUsage(t *testing.T) {
	e := newEnv(t)
	e.Run("login").Fail(t, 2, "not a terminal", "--base-url", "--api-key-stdin")
	e.Run("login", "--base-url", "https://hosted.example.com").Fail(t, 2, "needs a master key", "--api-key-stdin")
	e.Run("login", "--api-key", key, "--base-url", e.Srv.URL).Fail(t, 2, "--api-key-stdin")
	e.RunOpts(clitest.Opts{Stdin: "\n"}, "login", "--base-url", e.Srv.URL, "--api-key-stdin").Fail(t, 2, "stdin was empty")
	e.RunOpts(clitest.Opts{Stdin: key}, "login", "--base-url", "ftp://x", "--api-key-stdin").Fail(t, 2, "not a server URL")
}

func TestLoginPrompts(t *testing.T) {
	e := newEnv(t)
	p := &clitest.FakePrompter{Inputs: []string{e.Srv.URL, "bob", ""}, Passwords: []string{key}}
	r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "login")
	if r.Code != 0 {
		t.Fatalf("login: %d %s", r.Code, r.Err)
	}
	noKey(t, r)
	if len(p.Asked) != 4 || !strings.Contains(p.Asked[1], "input hidden") {
		t.Errorf("asked %q", p.Asked)
	}
	c := loadConfig(t, e.ConfigPath).Context(config.DefaultContextName)
	if c == nil || c.MasterKey != key || c.OwnerID != "bob" || c.BaseURL != e.Srv.URL {
		t.Errorf("saved %+v", c)
	}

	// Again: an empty key answer keeps the stored key; flags skip prompts.
	p = &clitest.FakePrompter{Passwords: []string{""}}
	if r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "login", "--base-url", e.Srv.URL, "--owner", "carol", "--model", "m2"); r.Code != 0 {
		t.Fatalf("relogin: %d %s", r.Code, r.Err)
	}
	if len(p.Asked) != 1 {
		t.Errorf("asked %q, want only the key", p.Asked)
	}
	c = loadConfig(t, e.ConfigPath).Context(config.DefaultContextName)
	if c.MasterKey != key || c.OwnerID != "carol" || c.DefaultModel != "m2" {
		t.Errorf("saved %+v", c)
	}
}

func TestDebugMasksKey(t *testing.T) {
	e := newEnv(t)
	r := e.RunOpts(clitest.Opts{Env: map[string]string{"LITELLM_API_BASE": e.Srv.URL, "LITELLM_MASTER_KEY": key}}, "--debug", "agents", "list")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Err)
	}
	if !strings.Contains(r.Err, "/api/agents") || !strings.Contains(r.Err, "Bearer ****") {
		t.Errorf("--debug log lacks the masked request:\n%s", r.Err)
	}
	noKey(t, r)
}

// TestLoginReasksOnlyWhatFailed: a rejected key asks for the key again,
// not the URL or the rest; a dead URL asks for the URL again; the default
// model is picked from the server's models.
func TestLoginReasksOnlyWhatFailed(t *testing.T) {
	e := newEnv(t)
	p := &clitest.FakePrompter{Inputs: []string{"http://127.0.0.1:1", e.Srv.URL, "bob"}, Passwords: []string{"sk-wrong", key}}
	r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "login")
	if r.Code != 0 {
		t.Fatalf("login: %d %s", r.Code, r.Err)
	}
	noKey(t, r)
	var urls, keys, models int
	for _, q := range p.Asked {
		switch {
		case strings.Contains(q, "Base URL"):
			urls++
		case strings.Contains(q, "Master key"):
			keys++
		case strings.Contains(q, "model"):
			models++
		}
	}
	if urls != 2 || keys != 2 || models != 1 || len(p.Asked) != 6 {
		t.Errorf("asked %q: want the URL twice (one dead), the key twice (one wrong), owner and model once", p.Asked)
	}
	if !strings.Contains(r.Err, "rejected the master key; enter it again") {
		t.Errorf("stderr lacks the re-ask reason:\n%s", r.Err)
	}
	if len(p.Offered) != 1 || len(p.Offered[0]) < 2 {
		t.Fatalf("models offered %v, want the server's list", p.Offered)
	}
	c := loadConfig(t, e.ConfigPath).Context(config.DefaultContextName)
	if c == nil || c.MasterKey != key || c.BaseURL != e.Srv.URL || c.DefaultModel != "" {
		t.Errorf("saved %+v (default pick is none)", c)
	}

	// Picking a model saves it.
	want := p.Offered[0][1]
	p = &clitest.FakePrompter{Passwords: []string{""}, Selects: []string{want}}
	if r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "login", "--base-url", e.Srv.URL, "--owner", "bob"); r.Code != 0 {
		t.Fatalf("relogin: %d %s", r.Code, r.Err)
	}
	if c := loadConfig(t, e.ConfigPath).Context(config.DefaultContextName); c.DefaultModel != want {
		t.Errorf("default model %q, want %q", c.DefaultModel, want)
	}
}

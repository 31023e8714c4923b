package configcmd_test

import (
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/cmd/lapctl/cli/configcmd"
	"lapctl/config"
	"lapctl/server"
	"lapctl/server/servertest"
)

const key = "sk-config-0123456789"

func TestConfigShowsSources(t *testing.T) {
	e := clitest.New(t, servertest.WithOptions(func(o *server.Options) { o.MasterKey = key }))
	var s configcmd.Settings
	e.JSON(&s, "config", "--json")
	if s.Context != "test" || s.BaseURL != e.Srv.URL || s.BaseURLFrom != config.FromConfig || s.APIKey != "sk-c****" ||
		s.APIKeyFrom != config.FromConfig || s.OwnerID != clitest.Owner || s.ConfigPath != e.ConfigPath {
		t.Errorf("settings = %+v", s)
	}
	r := e.RunOpts(clitest.Opts{Env: map[string]string{"LITELLM_MASTER_KEY": "sk-from-env-xxxxxxxx"}}, "config", "--base-url", "http://127.0.0.1:9", "--json")
	if r.Code != 0 || !strings.Contains(r.Out, `"base_url_from": "flag"`) || !strings.Contains(r.Out, `"api_key_from": "env"`) {
		t.Errorf("sources: %s %s", r.Out, r.Err)
	}
	out := e.OK("config")
	for _, want := range []string{"Base URL:", e.Srv.URL + " (from config)", "Master key:", "sk-c****", "Owner id:"} {
		if !strings.Contains(out, want) {
			t.Errorf("config lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, key) {
		t.Error("config printed the key")
	}
	e.Run("config", "bogus").Fail(t, 2, `unknown command "bogus"`)
}

func TestConfigContexts(t *testing.T) {
	e := clitest.New(t)
	e.OK("config", "set", "base_url", "https://hosted.example.com/", "--context", "hosted")
	e.OK("config", "set", "owner_id", "alice", "--context", "hosted")

	var rows []configcmd.ContextRow
	e.JSON(&rows, "config", "list", "--json")
	if len(rows) != 2 || rows[0].Name != "hosted" || rows[0].Current || rows[0].BaseURL != "https://hosted.example.com" || rows[0].HasKey ||
		rows[1].Name != "test" || !rows[1].Current || !rows[1].HasKey {
		t.Errorf("contexts = %+v", rows)
	}
	if out := e.OK("config", "list"); !strings.Contains(out, "*\ttest\t") {
		t.Errorf("piped list = %q", out)
	}

	if out := e.OK("config", "use", "hosted"); !strings.Contains(out, `context "hosted"`) {
		t.Errorf("use = %q", out)
	}
	var s configcmd.Settings
	e.JSON(&s, "config", "--json")
	if s.Context != "hosted" || s.OwnerID != "alice" {
		t.Errorf("after use: %+v", s)
	}
	e.Run("config", "use", "nope").Fail(t, 1, `no context named "nope"`)
	e.Run("--context", "nope", "config").Fail(t, 1, `no context named "nope"`)

	e.Run("config", "delete", "test").Fail(t, 2, "--yes")
	p := &clitest.FakePrompter{ConfirmAnswer: true}
	if r := e.RunOpts(clitest.Opts{TTY: true, Prompter: p}, "config", "delete", "test"); r.Code != 0 || len(p.Asked) != 1 {
		t.Errorf("delete: %d %q asked %q", r.Code, r.Err, p.Asked)
	}
	e.JSON(&rows, "config", "list", "--json")
	if len(rows) != 1 {
		t.Errorf("contexts after delete = %+v", rows)
	}
}

func TestConfigSet(t *testing.T) {
	e := clitest.New(t)
	for _, kv := range [][2]string{
		{"detach_keys", "ctrl-p,ctrl-q"}, {"read_only", "true"}, {"theme", "dracula"}, {"accessible", "yes"},
		{"default_model", "m7"}, {"owner_id", "zed"},
	} {
		r := e.Run("config", "set", kv[0], kv[1])
		if kv[1] == "yes" {
			r.Fail(t, 2, "not true or false")
			continue
		}
		if r.Code != 0 {
			t.Errorf("set %s: %d %s", kv[0], r.Code, r.Err)
		}
	}
	cfg, err := config.Load(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DetachKeys != "ctrl-p,ctrl-q" || !cfg.ReadOnly || cfg.Theme != "dracula" || cfg.Context("test").DefaultModel != "m7" || cfg.Context("test").OwnerID != "zed" {
		t.Errorf("config = %+v %+v", cfg, cfg.Context("test"))
	}
	e.Run("config", "set", "detach_keys", "ctrl-shift-x").Fail(t, 2, "invalid detach keys")
	e.Run("config", "set", "theme", "neon").Fail(t, 2, "unknown theme")
	e.Run("config", "set", "base_url", "nope").Fail(t, 2, "not a server URL")
	e.Run("config", "set", "master_key", "x").Fail(t, 2, "lapctl login")
	e.Run("config", "set", "colour", "x").Fail(t, 2, "unknown setting")
	e.Run("config", "set", "theme").Fail(t, 2)
}

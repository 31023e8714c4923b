package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSaveLoadRoundTripIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.yaml")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c.SetContext("local", &Context{BaseURL: "http://127.0.0.1:4000", MasterKey: "sk-secret-1234567", OwnerID: "me"})
	if err := c.Use("local"); err != nil {
		t.Fatal(err)
	}
	c.DetachKeys = "ctrl-p,ctrl-q"
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("config mode = %04o, want 0600", perm)
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Fatalf("config dir mode = %04o, want 0700", dir.Mode().Perm())
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.CurrentContext != "local" || got.Context("local").MasterKey != "sk-secret-1234567" || got.DetachKeys != "ctrl-p,ctrl-q" {
		t.Fatalf("round trip lost data: %+v", got)
	}
	if len(got.Warnings) != 0 {
		t.Fatalf("unexpected warnings: %v", got.Warnings)
	}
}

func TestLoadWarnsOnReadableKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("contexts:\n  a:\n    base_url: http://x\n    master_key: k\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "chmod 600") {
		t.Fatalf("warnings = %v, want one naming chmod 600", c.Warnings)
	}
}

func TestLoadBadYAMLNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(path, []byte("contexts: [oops"), 0o600)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want one naming %s", err, path)
	}
}

func TestResolvePrecedence(t *testing.T) {
	c := &Config{CurrentContext: "hosted", Contexts: map[string]*Context{
		"hosted": {BaseURL: "https://lap.example.com", MasterKey: "sk-cfg", OwnerID: "owner-cfg"},
		"local":  {BaseURL: "http://127.0.0.1:4000"},
	}}
	tests := []struct {
		name              string
		o                 Overrides
		env               map[string]string
		wantURL, wantKey  string
		wantFrom, keyFrom string
	}{
		{"config", Overrides{}, nil, "https://lap.example.com", "sk-cfg", FromConfig, FromConfig},
		{"env beats config", Overrides{}, map[string]string{EnvBaseURL: "http://env:1", EnvMasterKey: "sk-env"}, "http://env:1", "sk-env", FromEnv, FromEnv},
		{"flag beats env", Overrides{BaseURL: "http://flag:2", APIKey: "sk-flag"}, map[string]string{EnvBaseURL: "http://env:1", EnvMasterKey: "sk-env"}, "http://flag:2", "sk-flag", FromFlag, FromFlag},
		{"context flag, loopback default key", Overrides{Context: "local"}, nil, "http://127.0.0.1:4000", LocalDefaultKey, FromConfig, FromDefault},
		{"context from env", Overrides{}, map[string]string{EnvContext: "local"}, "http://127.0.0.1:4000", LocalDefaultKey, FromConfig, FromDefault},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep, err := c.Resolve(tc.o, envOf(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if ep.BaseURL != tc.wantURL || ep.APIKey != tc.wantKey || ep.BaseURLFrom != tc.wantFrom || ep.KeyFrom != tc.keyFrom {
				t.Fatalf("got %+v", ep)
			}
		})
	}
}

func TestResolveDefaultsAndErrors(t *testing.T) {
	ep, err := (&Config{}).Resolve(Overrides{}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if ep.BaseURL != DefaultBaseURL || ep.APIKey != LocalDefaultKey {
		t.Fatalf("defaults = %+v", ep)
	}
	ep, _ = (&Config{}).Resolve(Overrides{BaseURL: "https://remote.example"}, envOf(nil))
	if ep.APIKey != "" {
		t.Fatal("the local default key must never be sent to a remote server")
	}
	if _, err := (&Config{}).Resolve(Overrides{Context: "nope"}, envOf(nil)); err == nil || !strings.Contains(err.Error(), "lapctl login --context nope") {
		t.Fatalf("unknown context err = %v", err)
	}
	if _, err := (&Config{}).Resolve(Overrides{BaseURL: "ftp://x"}, envOf(nil)); err == nil || !strings.Contains(err.Error(), "flag") {
		t.Fatalf("bad URL err = %v", err)
	}
}

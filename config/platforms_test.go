package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPlatformCacheIsPrivateAndKeyedByContextAndURL(t *testing.T) {
	t.Parallel()
	cfg, err := Load(filepath.Join(t.TempDir(), "lapctl", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cache := cfg.PlatformCache()
	if got := cache.Get("a", "http://x"); got != "" {
		t.Fatalf("empty cache gave %q", got)
	}
	if err := cache.Set("a", "http://x", "gateway"); err != nil {
		t.Fatal(err)
	}
	if err := cache.Set("b", "http://x", "managed"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(filepath.Dir(cfg.Path()), PlatformCacheFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v, mode %v", err, info.Mode().Perm())
	}
	fresh := cfg.PlatformCache()
	if fresh.Get("a", "http://x") != "gateway" || fresh.Get("b", "http://x") != "managed" || fresh.Get("a", "http://y") != "" {
		t.Errorf("cache lost or mixed entries")
	}
}

func TestResolvePlatform(t *testing.T) {
	t.Parallel()
	cfg := &Config{CurrentContext: "c", Contexts: map[string]*Context{"c": {BaseURL: "https://h", Platform: "managed"}}}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	ep, err := cfg.Resolve(Overrides{}, getenv)
	if err != nil || ep.Platform != "managed" || ep.PlatformFrom != FromConfig {
		t.Fatalf("from config: %+v, %v", ep, err)
	}
	env[EnvPlatform] = "gateway"
	if ep, _ = cfg.Resolve(Overrides{}, getenv); ep.Platform != "gateway" || ep.PlatformFrom != FromEnv {
		t.Errorf("env: %+v", ep)
	}
	if ep, _ = cfg.Resolve(Overrides{Platform: "auto"}, getenv); ep.Platform != "" {
		t.Errorf("--platform auto: %+v", ep)
	}
	if _, err := cfg.Resolve(Overrides{Platform: "nope"}, getenv); err == nil {
		t.Error("--platform nope accepted")
	}
}

package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// PlatformCache remembers the dialect each server spoke, keyed by
// context and base URL, so lapctl probes once per server, not per
// command. It lives next to the config file, mode 0600.
type PlatformCache struct {
	path string
	mu   sync.Mutex
}

// PlatformCacheFile is the cache's file name, in the config's directory.
const PlatformCacheFile = "platforms.json"

// PlatformCache returns the cache beside this config.
func (c *Config) PlatformCache() *PlatformCache {
	if c.path == "" {
		return &PlatformCache{}
	}
	return &PlatformCache{path: filepath.Join(filepath.Dir(c.path), PlatformCacheFile)}
}

func cacheKey(context, baseURL string) string { return context + " " + baseURL }

func (p *PlatformCache) read() map[string]string {
	m := map[string]string{}
	if p.path == "" {
		return m
	}
	data, err := os.ReadFile(p.path)
	if err != nil {
		return m
	}
	_ = json.Unmarshal(data, &m) // a broken cache is an empty one: probe again
	return m
}

// Get returns the dialect cached for context and baseURL, or "".
func (p *PlatformCache) Get(context, baseURL string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.read()[cacheKey(context, baseURL)]
}

// Set records a dialect (atomically, 0600).
func (p *PlatformCache) Set(context, baseURL, platform string) error {
	if p.path == "" {
		return errors.New("no config path: the platform is not cached")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.read()
	if m[cacheKey(context, baseURL)] == platform {
		return nil
	}
	m[cacheKey(context, baseURL)] = platform
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(p.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("caching the platform: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".platforms-*.json")
	if err != nil {
		return fmt.Errorf("caching the platform: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("caching the platform: %w", err)
	}
	return nil
}

// Package config reads and writes lapctl's config file: named contexts
// (base URL, master key, default owner and model), the attach detach keys,
// the console's key bindings, theme and read-only switch. It must not
// import client, tui, forms, sshserve, cmd/, server/ or a UI library.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Config is the whole config file.
type Config struct {
	CurrentContext string              `yaml:"current_context,omitempty"`
	Contexts       map[string]*Context `yaml:"contexts,omitempty"`
	// DetachKeys is the attach detach sequence in docker's syntax
	// ("ctrl-p,ctrl-q"); empty means the default ctrl-].
	DetachKeys string `yaml:"detach_keys,omitempty"`
	// ReadOnly hides and refuses every destructive console action.
	ReadOnly bool `yaml:"read_only,omitempty"`
	// Theme names a console theme from assets/themes.
	Theme string `yaml:"theme,omitempty"`
	// Accessible turns on huh's accessible (screen reader) mode.
	Accessible bool `yaml:"accessible,omitempty"`
	// Keys rebinds console actions: action name → keys ("ctrl+d", "x").
	Keys map[string][]string `yaml:"keys,omitempty"`

	path     string
	Warnings []string `yaml:"-"`
}

// Context is one platform the operator talks to.
type Context struct {
	BaseURL      string `yaml:"base_url"`
	MasterKey    string `yaml:"master_key,omitempty"`
	OwnerID      string `yaml:"owner_id,omitempty"`
	DefaultModel string `yaml:"default_model,omitempty"`
	// Platform forces the API dialect (lapctl, gateway, managed); empty
	// or auto means lapctl learns it from the server.
	Platform string `yaml:"platform,omitempty"`
}

// DefaultContextName is the context login writes when none is named.
const DefaultContextName = "default"

// DefaultPath is $LAPCTL_CONFIG, else $XDG_CONFIG_HOME/lapctl/config.yaml,
// else ~/.config/lapctl/config.yaml.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("LAPCTL_CONFIG"); p != "" {
		return p
	}
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "lapctl", "config.yaml")
}

// Load reads the config file at path; a missing file is an empty config.
// A file holding a key that others can read is reported in Warnings.
func Load(path string) (*Config, error) {
	c := &Config{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if err := yaml.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("config %s is not valid YAML: %w (fix or remove the file)", path, err)
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 && c.holdsKey() {
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"config %s holds a master key but has mode %04o: run chmod 600 %s", path, info.Mode().Perm(), path))
	}
	return c, nil
}

func (c *Config) holdsKey() bool {
	for _, ctx := range c.Contexts {
		if ctx != nil && ctx.MasterKey != "" {
			return true
		}
	}
	return false
}

// Path is where the config is read from and saved to.
func (c *Config) Path() string { return c.path }

// Save writes the config atomically with mode 0600 (it may hold keys) in
// a directory of mode 0700.
func (c *Config) Save() error {
	if c.path == "" {
		return errors.New("config has no path to save to")
	}
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating config dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("writing config: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing config: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	return nil
}

// Context returns the named context, or nil.
func (c *Config) Context(name string) *Context {
	if c.Contexts == nil {
		return nil
	}
	return c.Contexts[name]
}

// SetContext adds or replaces a context.
func (c *Config) SetContext(name string, ctx *Context) {
	if c.Contexts == nil {
		c.Contexts = map[string]*Context{}
	}
	c.Contexts[name] = ctx
}

// DeleteContext removes a context; the current context is cleared if it
// was the one removed.
func (c *Config) DeleteContext(name string) bool {
	if _, ok := c.Contexts[name]; !ok {
		return false
	}
	delete(c.Contexts, name)
	if c.CurrentContext == name {
		c.CurrentContext = ""
	}
	return true
}

// ContextNames lists the contexts, sorted.
func (c *Config) ContextNames() []string {
	names := make([]string, 0, len(c.Contexts))
	for n := range c.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Use makes name the current context; it must exist.
func (c *Config) Use(name string) error {
	if c.Context(name) == nil {
		return fmt.Errorf("no context named %q (have: %v): create it with lapctl login --context %s", name, c.ContextNames(), name)
	}
	c.CurrentContext = name
	return nil
}

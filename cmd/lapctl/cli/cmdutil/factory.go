// Package cmdutil holds what every lapctl command shares: the Factory of
// lazily built dependencies, exit codes and the error kinds that map to them.
package cmdutil

import (
	"context"
	"errors"
	"io"
	"sync"

	"lapctl/client"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/spec"
	"lapctl/version"
)

// Factory builds a command's dependencies on first use, so a command that
// needs no server never reads the config or dials one.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Overrides are the global flags (--context, --base-url, --api-key),
	// filled in by cobra before any command runs.
	Overrides config.Overrides
	// Debug turns on the client's masked request log (--debug).
	Debug bool
	// Accessible runs forms in huh's accessible mode (--accessible).
	Accessible bool
	// Identity, when set, is the platform owner id the caller acts as
	// (an SSH user's mapped owner); it beats the config's owner_id and
	// every --owner flag.
	Identity string
	// Remote marks a caller on another machine (an SSH session): commands
	// that act on this machine (serve, local, login, logout, config
	// writes, the editor, reading local files) are left out or refused,
	// since "local" would mean the server host.
	Remote bool
	// ConfigPath overrides where the config file lives (tests).
	ConfigPath string
	// Prompter asks questions on a terminal; nil means huh on IOStreams.
	Prompter Prompter
	// AttachSession attaches the terminal to a TUI session (sessions
	// create --attach); the root command sets it from the attach package.
	AttachSession func(ctx context.Context, s *spec.Session) error

	configOnce sync.Once
	cfg        *config.Config
	cfgErr     error
}

// New returns a Factory over ios.
func New(ios *iostreams.IOStreams) *Factory {
	return &Factory{IOStreams: ios}
}

// Config loads the config file once; its warnings go to stderr once.
func (f *Factory) Config() (*config.Config, error) {
	f.configOnce.Do(func() {
		path := f.ConfigPath
		if path == "" {
			path = config.DefaultPath(f.IOStreams.Getenv)
		}
		f.cfg, f.cfgErr = config.Load(path)
		if f.cfgErr == nil {
			for _, w := range f.cfg.Warnings {
				io.WriteString(f.IOStreams.ErrOut, "warning: "+w+"\n")
			}
		}
	})
	return f.cfg, f.cfgErr
}

// Endpoint resolves the server, key and owner: flags, env, config.
func (f *Factory) Endpoint() (config.Endpoint, error) {
	cfg, err := f.Config()
	if err != nil {
		return config.Endpoint{}, err
	}
	if _, err := client.ParsePlatform(f.Overrides.Platform); err != nil {
		return config.Endpoint{}, FlagErrorf("--platform: %v", err)
	}
	ep, err := cfg.Resolve(f.Overrides, f.IOStreams.Getenv)
	if err != nil {
		return config.Endpoint{}, err
	}
	if f.Identity != "" {
		ep.OwnerID = f.Identity
	}
	return ep, nil
}

// Client builds an API client for the resolved endpoint.
func (f *Factory) Client() (*client.Client, error) {
	ep, err := f.Endpoint()
	if err != nil {
		return nil, err
	}
	return f.ClientFor(ep)
}

// ClientFor builds an API client for ep (login checks an endpoint before
// saving it).
// The dialect is forced by --platform or the context's platform:, else
// taken from the cache of what this server spoke before, else probed
// (and cached).
func (f *Factory) ClientFor(ep config.Endpoint) (*client.Client, error) {
	opts := client.Options{BaseURL: ep.BaseURL, APIKey: ep.APIKey, UserAgent: version.UserAgent()}
	if f.Debug {
		opts.Debug = f.IOStreams.ErrOut
	}
	forced, err := client.ParsePlatform(ep.Platform)
	if err != nil {
		return nil, FlagErrorf("--platform: %v", err)
	}
	opts.Platform = forced
	if cfg, err := f.Config(); err == nil && forced == client.PlatformUnknown {
		cache := cfg.PlatformCache()
		if p, err := client.ParsePlatform(cache.Get(ep.Context, ep.BaseURL)); err == nil {
			opts.CachedPlatform = p
		}
		opts.OnProbe = func(p client.Platform) { _ = cache.Set(ep.Context, ep.BaseURL, string(p)) }
	}
	return client.New(opts)
}

// Owner picks the owner id a command acts for (Caller.Owner).
func (f *Factory) Owner(flag, fallback string) string { return f.Caller().Owner(flag, fallback) }

// ErrRemote is returned by commands that act on this machine when the
// caller is remote.
var ErrRemote = errors.New("not available over SSH: this command acts on the machine it runs on; run it locally")

// Prompt returns the Prompter, building the huh one on first use.
func (f *Factory) Prompt() Prompter {
	if f.Prompter == nil {
		p := NewHuhPrompter(f.IOStreams)
		p.Accessible = p.Accessible || f.AccessibleForms()
		f.Prompter = p
	}
	return f.Prompter
}

// AccessibleForms reports whether forms and prompts should run in huh's
// accessible mode: --accessible, or accessible: true in the config.
func (f *Factory) AccessibleForms() bool {
	if f.Accessible {
		return true
	}
	cfg, err := f.Config()
	return err == nil && cfg.Accessible
}

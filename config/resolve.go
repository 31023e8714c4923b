package config

import (
	"fmt"
	"net/url"

	"lapctl/spec"
)

// Environment variables lapctl reads.
const (
	EnvBaseURL   = "LITELLM_API_BASE"
	EnvMasterKey = "LITELLM_MASTER_KEY"
	EnvContext   = "LAPCTL_CONTEXT"
	EnvPlatform  = "LAPCTL_PLATFORM"
)

// DefaultBaseURL is the contract's default server.
const DefaultBaseURL = spec.DefaultBaseURL

// LocalDefaultKey is the embedded server's key when none is set; the
// client uses it only for a loopback server.
const LocalDefaultKey = "sk-local"

// Sources of a resolved setting, for `lapctl config` to show.
const (
	FromFlag    = "flag"
	FromEnv     = "env"
	FromConfig  = "config"
	FromDefault = "default"
)

// Endpoint is the server lapctl talks to and how it got each setting.
type Endpoint struct {
	Context      string
	BaseURL      string
	APIKey       string
	OwnerID      string
	DefaultModel string
	BaseURLFrom  string
	KeyFrom      string
	// Platform is the forced dialect ("" = probe) and where it came from.
	Platform     string
	PlatformFrom string
}

// Overrides are the command-line flags that beat env and config.
type Overrides struct {
	Context  string
	BaseURL  string
	APIKey   string
	Platform string
}

// Resolve picks the endpoint: flags, then the environment, then the
// context from the config file (the --context flag, then $LAPCTL_CONTEXT,
// then current_context), then defaults.
func (c *Config) Resolve(o Overrides, getenv func(string) string) (Endpoint, error) {
	name := firstNonEmpty(o.Context, getenv(EnvContext), c.CurrentContext)
	var ctx Context
	if name != "" {
		found := c.Context(name)
		if found == nil && (o.Context != "" || getenv(EnvContext) != "") {
			return Endpoint{}, fmt.Errorf("no context named %q in %s: run lapctl login --context %s, or pick one of %v", name, c.path, name, c.ContextNames())
		}
		if found != nil {
			ctx = *found
		}
	}
	ep := Endpoint{Context: name, OwnerID: ctx.OwnerID, DefaultModel: ctx.DefaultModel}
	ep.BaseURL, ep.BaseURLFrom = pick(o.BaseURL, getenv(EnvBaseURL), ctx.BaseURL, DefaultBaseURL)
	ep.APIKey, ep.KeyFrom = pick(o.APIKey, getenv(EnvMasterKey), ctx.MasterKey, "")
	if ep.APIKey == "" && IsLoopbackURL(ep.BaseURL) {
		ep.APIKey, ep.KeyFrom = LocalDefaultKey, FromDefault
	}
	ep.Platform, ep.PlatformFrom = pick(o.Platform, getenv(EnvPlatform), ctx.Platform, "")
	if ep.Platform == "auto" {
		ep.Platform = ""
	}
	switch ep.Platform {
	case "", "lapctl", "gateway", "managed":
	default:
		return Endpoint{}, fmt.Errorf("platform %q (from %s): use lapctl, gateway, managed or auto", ep.Platform, ep.PlatformFrom)
	}
	if _, err := ParseBaseURL(ep.BaseURL); err != nil {
		return Endpoint{}, fmt.Errorf("base URL from %s: %w", ep.BaseURLFrom, err)
	}
	return ep, nil
}

func pick(flag, env, cfg, def string) (string, string) {
	switch {
	case flag != "":
		return flag, FromFlag
	case env != "":
		return env, FromEnv
	case cfg != "":
		return cfg, FromConfig
	}
	return def, FromDefault
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// ParseBaseURL checks that raw is an http(s) URL with a host.
func ParseBaseURL(raw string) (*url.URL, error) { return spec.ParseBaseURL(raw) }

// IsLoopbackURL reports whether raw points at this machine.
func IsLoopbackURL(raw string) bool { return spec.IsLoopbackURL(raw) }

// IsLoopbackHost reports whether host is localhost or a loopback IP.
func IsLoopbackHost(host string) bool { return spec.IsLoopbackHost(host) }

// Package configcmd is `lapctl config`: show the resolved settings and
// manage the config file's contexts and options.
package configcmd

import (
	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/secret"
)

// ShowOptions are the inputs of `config`.
type ShowOptions struct {
	IO       *iostreams.IOStreams
	Config   func() (*config.Config, error)
	Endpoint func() (config.Endpoint, error)

	JSON bool
}

// Settings is `config --json`: what lapctl will use and where each came from.
type Settings struct {
	ConfigPath   string   `json:"config_path"`
	Context      string   `json:"context"`
	BaseURL      string   `json:"base_url"`
	BaseURLFrom  string   `json:"base_url_from"`
	APIKey       string   `json:"api_key"`
	APIKeyFrom   string   `json:"api_key_from"`
	OwnerID      string   `json:"owner_id"`
	DefaultModel string   `json:"default_model"`
	Platform     string   `json:"platform"`
	PlatformFrom string   `json:"platform_from"`
	DetachKeys   string   `json:"detach_keys"`
	ReadOnly     bool     `json:"read_only"`
	Theme        string   `json:"theme"`
	Accessible   bool     `json:"accessible"`
	Contexts     []string `json:"contexts"`
}

// NewCmdConfig builds `config` and its subcommands.
func NewCmdConfig(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Config: f.Config, Endpoint: f.Endpoint}
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show and change the configuration",
		Long: `Without a subcommand, show the settings lapctl will use (flags beat
environment variables, which beat the config file) and where each came
from; the master key is masked.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "Print JSON")
	cmd.AddCommand(
		NewCmdList(f, nil),
		NewCmdUse(f, nil),
		NewCmdSet(f, nil),
		NewCmdDelete(f, nil),
	)
	return cmd
}

func showRun(opts *ShowOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	ep, err := opts.Endpoint()
	if err != nil {
		return err
	}
	s := Settings{
		ConfigPath: cfg.Path(), Context: ep.Context,
		BaseURL: ep.BaseURL, BaseURLFrom: ep.BaseURLFrom,
		APIKey: secret.Mask(ep.APIKey), APIKeyFrom: ep.KeyFrom,
		OwnerID: ep.OwnerID, DefaultModel: ep.DefaultModel,
		DetachKeys: cfg.DetachKeys, ReadOnly: cfg.ReadOnly, Theme: cfg.Theme, Accessible: cfg.Accessible,
		Contexts: cfg.ContextNames(),
		Platform: ep.Platform, PlatformFrom: ep.PlatformFrom,
	}
	if s.Platform == "" {
		// Not forced: what the server spoke last time, if lapctl knows.
		s.Platform, s.PlatformFrom = cfg.PlatformCache().Get(ep.Context, ep.BaseURL), "cache"
		if s.Platform == "" {
			s.PlatformFrom = ""
		}
	}
	if s.APIKey == "" {
		s.APIKeyFrom = ""
	}
	if opts.JSON {
		return output.WriteJSON(opts.IO.Out, s)
	}
	d := output.NewDetail(opts.IO)
	d.Add("Config file", s.ConfigPath)
	d.Add("Context", orNone(s.Context))
	d.Add("Base URL", s.BaseURL+" (from "+s.BaseURLFrom+")")
	if s.APIKey != "" {
		d.Add("Master key", s.APIKey+" (from "+s.APIKeyFrom+")")
	} else {
		d.Add("Master key", "(none: run lapctl login)")
	}
	switch {
	case s.PlatformFrom == "cache":
		d.Add("Platform", s.Platform+" (learned from the server; lapctl status checks it again)")
	case s.Platform != "":
		d.Add("Platform", s.Platform+" (forced, from "+s.PlatformFrom+")")
	default:
		d.Add("Platform", "(not yet known: learned on first contact; lapctl status)")
	}
	d.Add("Owner id", orNone(s.OwnerID))
	d.Add("Default model", orNone(s.DefaultModel))
	d.Add("Detach keys", s.DetachKeys)
	if s.ReadOnly {
		d.Add("Read only", "yes")
	}
	d.Add("Theme", s.Theme)
	if s.Accessible {
		d.Add("Accessible", "yes")
	}
	return d.Render()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

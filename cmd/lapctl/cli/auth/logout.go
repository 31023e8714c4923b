package auth

import (
	"fmt"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
)

// LogoutOptions are the inputs of `logout`.
type LogoutOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)

	ContextName string
}

// NewCmdLogout builds `logout`.
func NewCmdLogout(f *cmdutil.Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{IO: f.IOStreams, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Remove a context's master key from the config",
		Long: `Remove the master key of the current context (or of --context NAME) from
the config file. The context's base URL and defaults stay; lapctl config
delete NAME removes the whole context.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ContextName = f.Overrides.Context
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(opts)
		},
	}
	return cmd
}

func logoutRun(opts *LogoutOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	name := firstOf(opts.ContextName, cfg.CurrentContext)
	if name == "" {
		return fmt.Errorf("no current context to log out of: name one with --context (have: %v)", cfg.ContextNames())
	}
	c := cfg.Context(name)
	if c == nil {
		return fmt.Errorf("no context named %q (have: %v)", name, cfg.ContextNames())
	}
	if c.MasterKey == "" {
		fmt.Fprintf(opts.IO.ErrOut, "Context %q holds no master key.\n", name)
		return nil
	}
	c.MasterKey = ""
	if err := cfg.Save(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "✓ Removed the master key of context %q (%s)\n", name, c.BaseURL)
	return nil
}

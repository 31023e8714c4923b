package configcmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/iostreams"
)

// ContextOptions are the inputs of `config list`, `use` and `delete`.
type ContextOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)
	Caller cmdutil.Caller

	Name string
	Yes  bool
	JSON bool
}

// ContextRow is one entry of `config list --json`.
type ContextRow struct {
	Name         string `json:"name"`
	Current      bool   `json:"current"`
	BaseURL      string `json:"base_url"`
	OwnerID      string `json:"owner_id"`
	DefaultModel string `json:"default_model"`
	HasKey       bool   `json:"has_key"`
}

// NewCmdList builds `config list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ContextOptions) error) *cobra.Command {
	opts := &ContextOptions{IO: f.IOStreams, Config: f.Config, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls", "contexts"},
		Short:   "List the contexts",
		Long:    "List the config's contexts; * marks the current one. Rows are current, name, base URL, owner and key (set or -) when piped.",
		Args:    cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "Print JSON")
	return cmd
}

func listRun(opts *ContextOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	rows := []ContextRow{}
	for _, name := range cfg.ContextNames() {
		c := cfg.Context(name)
		rows = append(rows, ContextRow{Name: name, Current: name == cfg.CurrentContext, BaseURL: c.BaseURL, OwnerID: c.OwnerID, DefaultModel: c.DefaultModel, HasKey: c.MasterKey != ""})
	}
	if opts.JSON {
		return output.WriteJSON(opts.IO.Out, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "No contexts yet: add one with lapctl login")
		return nil
	}
	t := output.NewTable(opts.IO,
		output.Column{Header: "CURRENT"},
		output.Column{Header: "NAME"},
		output.Column{Header: "BASE URL", MinWidth: 16},
		output.Column{Header: "OWNER", Drop: 2, MinWidth: 8},
		output.Column{Header: "KEY", Drop: 1},
	)
	for _, r := range rows {
		cur, key := "", "-"
		if r.Current {
			cur = "*"
		}
		if r.HasKey {
			key = "set"
		}
		t.AddRow(cur, r.Name, r.BaseURL, r.OwnerID, key)
	}
	return t.Render()
}

// NewCmdUse builds `config use`.
func NewCmdUse(f *cmdutil.Factory, runF func(*ContextOptions) error) *cobra.Command {
	opts := &ContextOptions{IO: f.IOStreams, Config: f.Config, Caller: f.Caller()}
	return &cobra.Command{
		Use:               "use <context>",
		Short:             "Make a context the current one",
		Args:              cmdutil.ExactArgs(1, "a context name"),
		ValidArgsFunction: cmdutil.CompleteContexts(f),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			cfg, err := opts.Config()
			if err != nil {
				return err
			}
			if err := cfg.Use(opts.Name); err != nil {
				return err
			}
			if err := cfg.Save(); err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.Out, "✓ Using context %q (%s)\n", opts.Name, cfg.Context(opts.Name).BaseURL)
			return nil
		},
	}
}

// NewCmdDelete builds `config delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*ContextOptions) error) *cobra.Command {
	opts := &ContextOptions{IO: f.IOStreams, Config: f.Config, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:               "delete <context>",
		Aliases:           []string{"rm"},
		Short:             "Delete a context and its key",
		Long:              "Delete a context, key included. On a terminal it asks first; --yes skips the question and is required without a terminal.",
		Args:              cmdutil.ExactArgs(1, "a context name"),
		ValidArgsFunction: cmdutil.CompleteContexts(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Delete without asking")
	return cmd
}

func deleteRun(ctx context.Context, opts *ContextOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	if cfg.Context(opts.Name) == nil {
		return fmt.Errorf("no context named %q (have: %v)", opts.Name, cfg.ContextNames())
	}
	if err := cmdutil.ConfirmDestructive(ctx, opts.Caller, opts.Yes, fmt.Sprintf("delete context %q and its key", opts.Name)); err != nil {
		return err
	}
	wasCurrent := cfg.CurrentContext == opts.Name
	cfg.DeleteContext(opts.Name)
	if err := cfg.Save(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "✓ Deleted context %q\n", opts.Name)
	if wasCurrent {
		fmt.Fprintln(opts.IO.ErrOut, "There is no current context now: pick one with lapctl config use NAME")
	}
	return nil
}

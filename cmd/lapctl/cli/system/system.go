// Package system holds the commands about the platform itself: models,
// runtimes, harnesses, health and version.
package system

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/version"
)

// Options are the inputs of the system commands: each only lists.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	JSON   bool
	Export output.Export
}

func newCmd(f *cmdutil.Factory, use, short, long string, run func(context.Context, *Options) error, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the list")
	return cmd
}

// NewCmdModels builds `models`.
func NewCmdModels(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	return newCmd(f, "models", "List the models agents can use",
		"List the models the platform offers (GET /v1/models); rows are id and owner when piped.", modelsRun, runF)
}

func modelsRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	models, err := c.Models(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return opts.Export.Write(opts.IO.Out, nonNil(models))
	}
	t := output.NewTable(opts.IO, output.Column{Header: "MODEL"}, output.Column{Header: "OWNED BY", Drop: 1})
	for _, m := range models {
		t.AddRow(m.ID, m.OwnedBy)
	}
	return renderOrSay(opts.IO, t, "The server lists no models; any LiteLLM model string may still be used.")
}

// NewCmdRuntimes builds `runtimes`.
func NewCmdRuntimes(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	return newCmd(f, "runtimes", "List the runtimes agents can run on",
		"List the agent runtimes (GET /api/agent-runtimes); rows are id, name and connected when piped.", runtimesRun, runF)
}

func runtimesRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	runtimes, err := c.Runtimes(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return opts.Export.Write(opts.IO.Out, nonNil(runtimes))
	}
	t := output.NewTable(opts.IO, output.Column{Header: "ID"}, output.Column{Header: "NAME", Drop: 1, MinWidth: 8}, output.Column{Header: "CONNECTED", Color: yesColor})
	for _, r := range runtimes {
		t.AddRow(r.ID, r.Name, yesNo(r.Connected))
	}
	return renderOrSay(opts.IO, t, "The server lists no runtimes.")
}

// Harness is one row of `harnesses --json`.
type Harness struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Available   bool   `json:"available"`
	Registered  bool   `json:"registered"`
}

// NewCmdHarnesses builds `harnesses`.
func NewCmdHarnesses(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	return newCmd(f, "harnesses", "List the harnesses agents can use",
		`List the built-in harnesses and the registered aliases. API harnesses take
messages (lapctl sessions send); TUI harnesses are attached to (lapctl
attach). Rows are id, name, kind, available and source when piped.`, harnessesRun, runF)
}

func harnessesRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	choices, err := c.HarnessChoices(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := make([]Harness, len(choices))
		for i, h := range choices {
			out[i] = Harness(h)
		}
		return opts.Export.Write(opts.IO.Out, out)
	}
	t := output.NewTable(opts.IO,
		output.Column{Header: "ID"},
		output.Column{Header: "NAME", Drop: 2, MinWidth: 8},
		output.Column{Header: "KIND"},
		output.Column{Header: "AVAILABLE", Color: yesColor},
		output.Column{Header: "SOURCE", Drop: 1},
	)
	for _, h := range choices {
		source := "built-in"
		if h.Registered {
			source = "registered"
		}
		t.AddRow(h.ID, h.Name, strings.ToUpper(h.Kind), yesNo(h.Available), source)
	}
	return t.Render()
}

// NewCmdHealth builds `health`.
func NewCmdHealth(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd := newCmd(f, "health", "Check that the server is up",
		`Check GET /health. Exits 0 when the server is up, 6 when it cannot be
reached and 1 when it answers with an error.`, healthRun, runF)
	return cmd
}

func healthRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	err = c.Health(ctx)
	if opts.JSON {
		body := map[string]string{"status": "ok", "base_url": c.BaseURL()}
		if err != nil {
			body["status"], body["error"] = "down", err.Error()
		}
		if werr := opts.Export.Write(opts.IO.Out, body); werr != nil {
			return werr
		}
		if err != nil {
			return silent{err}
		}
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "ok: %s is up\n", c.BaseURL())
	return nil
}

// silent carries an error whose JSON was already printed: its exit code
// still counts, but nothing more is written.
type silent struct{ err error }

func (s silent) Error() string { return s.err.Error() }
func (s silent) Unwrap() []error {
	return []error{s.err, cmdutil.ErrSilent}
}

// VersionOptions are the inputs of `version`.
type VersionOptions struct {
	IO   *iostreams.IOStreams
	JSON bool
}

// NewCmdVersion builds `version`.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print lapctl's version",
		Args:  cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			if opts.JSON {
				return output.WriteJSON(opts.IO.Out, map[string]string{
					"version": version.String(), "go": runtime.Version(), "platform": runtime.GOOS + "/" + runtime.GOARCH,
				})
			}
			_, err := fmt.Fprintf(opts.IO.Out, "lapctl %s (%s, %s/%s)\n", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "Print JSON")
	return cmd
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func yesColor(v string) string {
	if v == "yes" {
		return output.ColorGood
	}
	return output.ColorBad
}

func renderOrSay(ios *iostreams.IOStreams, t *output.Table, empty string) error {
	if t.Len() == 0 {
		if ios.IsStdoutTTY() {
			fmt.Fprintln(ios.ErrOut, empty)
		}
		return nil
	}
	return t.Render()
}

package agents

import (
	"context"
	"errors"
	"fmt"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/forms"
	"lapctl/iostreams"
	"lapctl/spec"
)

// createInteractive runs the agent builder for a new agent.
func createInteractive(ctx context.Context, opts *CreateOptions, ep config.Endpoint) error {
	if opts.DryRun {
		return cmdutil.FlagErrorf("--dry-run needs the agent as flags or -f FILE: the interactive builder sends what it builds")
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return runBuilder(ctx, opts.IO, opts.Builder, opts.JSON, "Created", forms.Options{
		Client: c, OwnerID: opts.Caller.Owner("", ep.OwnerID), DefaultModel: ep.DefaultModel,
	})
}

// editInteractive runs the agent builder on an existing agent.
func editInteractive(ctx context.Context, opts *EditOptions, ep config.Endpoint, c *client.Client, a *spec.Agent) error {
	if opts.DryRun {
		return cmdutil.FlagErrorf("--dry-run needs the change as flags: the interactive builder sends what it builds")
	}
	return runBuilder(ctx, opts.IO, opts.Builder, opts.JSON, "Updated", forms.Options{
		Client: c, OwnerID: opts.Caller.Owner("", ep.OwnerID), DefaultModel: ep.DefaultModel, Edit: a,
	})
}

// Builder is what the interactive builder needs beyond the streams; each
// part may be nil (plain look, no attaching).
type Builder struct {
	// Accessible runs the builder in huh's accessible mode.
	Accessible func() bool
	// Config supplies the theme.
	Config func() (*config.Config, error)
	// Attach attaches the terminal to a session the builder started.
	Attach func(context.Context, *spec.Session) error
}

// NewBuilder takes the builder's parts from f.
func NewBuilder(f *cmdutil.Factory) Builder {
	return Builder{Accessible: f.AccessibleForms, Config: f.Config, Attach: f.AttachSession}
}

func runBuilder(ctx context.Context, ios *iostreams.IOStreams, b Builder, asJSON bool, verb string, fo forms.Options) error {
	if b.Accessible != nil {
		fo.Accessible = b.Accessible()
	}
	if b.Config != nil {
		if cfg, err := b.Config(); err == nil {
			fo.Theme = cfg.Theme
		}
	}
	res, err := forms.Run(ctx, fo, ios)
	if res != nil && res.SavedPath != "" {
		fmt.Fprintf(ios.ErrOut, "The spec was saved to %s (lapctl agents create -f %s).\n", res.SavedPath, res.SavedPath)
	}
	switch {
	case errors.Is(err, forms.ErrCancelled):
		return cmdutil.ErrCancel
	case err != nil:
		return err
	case res == nil || res.Agent == nil:
		return cmdutil.ErrCancel
	}
	// The builder compared what came back with what it sent: the same
	// warnings and headline as agents create / edit.
	if fo.Client != nil {
		warnLosses(ios, fo.Client.Platform(), res.Losses)
	}
	if err := printSaved(ios, res.Agent, verb, &output.Export{Enabled: asJSON}, res.Losses); err != nil {
		return err
	}
	return afterBuilder(ctx, b.Attach, ios, res)
}

// afterBuilder does what the operator chose after saving: report a new
// session, or attach to it.
func afterBuilder(ctx context.Context, attach func(context.Context, *spec.Session) error, ios *iostreams.IOStreams, res *forms.Result) error {
	s := res.Session
	if s == nil {
		return nil
	}
	if res.Next == forms.NextAttach && attach != nil {
		return attach(ctx, s)
	}
	fmt.Fprintf(ios.ErrOut, "Started session %s.\n", s.ID)
	if res.Next == forms.NextAttach {
		fmt.Fprintf(ios.ErrOut, "Attach to it with: lapctl attach %s\n", s.ID)
	}
	return nil
}

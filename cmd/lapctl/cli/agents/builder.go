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
	return runBuilder(ctx, opts.f, opts.JSON, "Created", forms.Options{
		Client: c, OwnerID: opts.f.Owner("", ep.OwnerID), DefaultModel: ep.DefaultModel,
	})
}

// editInteractive runs the agent builder on an existing agent.
func editInteractive(ctx context.Context, opts *EditOptions, ep config.Endpoint, c *client.Client, a *spec.Agent) error {
	if opts.DryRun {
		return cmdutil.FlagErrorf("--dry-run needs the change as flags: the interactive builder sends what it builds")
	}
	return runBuilder(ctx, opts.f, opts.JSON, "Updated", forms.Options{
		Client: c, OwnerID: opts.f.Owner("", ep.OwnerID), DefaultModel: ep.DefaultModel, Edit: a,
	})
}

func runBuilder(ctx context.Context, f *cmdutil.Factory, asJSON bool, verb string, fo forms.Options) error {
	ios := f.IOStreams
	fo.Accessible = f.Accessible
	if cfg, err := f.Config(); err == nil {
		fo.Accessible, fo.Theme = fo.Accessible || cfg.Accessible, cfg.Theme
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
	return afterBuilder(ctx, f, ios, res)
}

// afterBuilder does what the operator chose after saving: report a new
// session, or attach to it.
func afterBuilder(ctx context.Context, f *cmdutil.Factory, ios *iostreams.IOStreams, res *forms.Result) error {
	s := res.Session
	if s == nil {
		return nil
	}
	if res.Next == forms.NextAttach && f.AttachSession != nil {
		return f.AttachSession(ctx, s)
	}
	fmt.Fprintf(ios.ErrOut, "Started session %s.\n", s.ID)
	if res.Next == forms.NextAttach {
		fmt.Fprintf(ios.ErrOut, "Attach to it with: lapctl attach %s\n", s.ID)
	}
	return nil
}

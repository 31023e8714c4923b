package local

import (
	"context"
	"fmt"
	osuser "os/user"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/tui"
	"lapctl/version"
)

// OpenConsole opens the full-screen console on the endpoint f resolves
// (lapctl with no arguments on a terminal).
func OpenConsole(ctx context.Context, f *cmdutil.Factory) error {
	ep, err := f.Endpoint()
	if err != nil {
		return err
	}
	return consoleOn(f)(ctx, ep)
}

// runConsole opens the console on the local server; without a terminal
// it says how to reach the server and keeps it up until interrupted.
func runConsole(ctx context.Context, opts *LocalOptions, url, owner, logPath string) error {
	if !opts.IO.CanPrompt() {
		fmt.Fprintf(opts.IO.ErrOut, `The local platform is running at %s (log: %s).
There is no terminal here for the console; use the commands from another shell:

  lapctl agents list          (the %q context is current while this runs)

Press Ctrl-C to stop the server.
`, url, logPath, ContextName)
		<-ctx.Done()
		return nil
	}
	ep, err := opts.Endpoint()
	if err != nil {
		return err
	}
	ep.OwnerID = owner
	// The console talks to this run's server whatever context the config
	// named before, so its header names the context in use.
	ep.Context = ContextName
	return opts.Console(ctx, ep)
}

// consoleOn opens the console on an endpoint, as f's caller: its streams,
// config and identity.
func consoleOn(f *cmdutil.Factory) func(context.Context, config.Endpoint) error {
	return func(ctx context.Context, ep config.Endpoint) error {
		debug := f.Debug // parsed by now
		f.Debug = false  // nor may a client made for :ctx log over the screen
		return runTUI(ctx, f.Caller(), f.Config, f.ClientFor, debug, ep)
	}
}

func runTUI(ctx context.Context, who cmdutil.Caller, loadConfig func() (*config.Config, error),
	clientFor func(config.Endpoint) (*client.Client, error), debug bool, ep config.Endpoint) error {
	ios := who.IO
	if debug {
		fmt.Fprintln(ios.ErrOut, "warning: --debug is ignored by the console: its log would draw over the screen")
	}
	// No Debug writer: a request log on the terminal would tear the screen.
	c, err := client.New(client.Options{BaseURL: ep.BaseURL, APIKey: ep.APIKey, UserAgent: version.UserAgent()})
	if err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	user := who.Identity
	if user == "" {
		user = ios.Getenv("USER")
	}
	if user == "" && !who.Remote {
		// $USER is unset under some service managers and containers.
		if u, err := osuser.Current(); err == nil {
			user = u.Username
		}
	}
	opts := tui.Options{
		Client:   c,
		Endpoint: ep,
		Config:   cfg,
		User:     user,
		Getenv:   ios.Getenv,
		NoEditor: who.Remote,
	}
	if !who.Remote { // over SSH the host's saved keys are not the caller's
		opts.SwitchContext = tui.ContextSwitcher(cfg, clientFor)
	}
	return tui.Run(ctx, opts, ios)
}

// Package tui is lapctl's full-screen admin console (Bubble Tea): the
// Agents, Sessions and Skills pages under a header (context, server,
// health, user) and above a status line and key help.
//
// Everything that draws takes its styles from one Styles, built for the
// background the program's own terminal reports (tea.BackgroundColorMsg),
// so the same console runs on the local terminal and over SSH (each
// session's terminal); Bubble Tea fits colours to the terminal's profile.
// All I/O runs in tea.Cmds. It is the only package that turns an attach
// into a tea.ExecCommand (ptyattach knows no UI library).
//
// tui may import forms, ptyattach, client, config, spec, assets and
// iostreams; nothing below it (forms, ptyattach, client, server, spec)
// may import tui, and tui never imports cmd/ or server/.
package tui

import (
	"context"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/spec"
)

// Options configure the console.
type Options struct {
	Client *client.Client
	// Endpoint is what the header shows: context, server URL, owner.
	Endpoint config.Endpoint
	// Config supplies keys, theme, read-only and detach keys; may be nil.
	Config *config.Config
	// LightBackground starts the styles for a light terminal until the
	// terminal answers the program's background query (dark by default).
	LightBackground bool
	// ReadOnly (or Config.ReadOnly) hides and refuses every action that
	// changes something on the server.
	ReadOnly bool
	// Attach turns a session into the interactive command tea.Exec runs;
	// nil attaches with ptyattach over the program's terminal.
	Attach func(sess *spec.Session) (tea.ExecCommand, error)
	// User is shown in the header (the SSH user or $USER).
	User string
	// PollInterval is the sessions page's refresh period; 0 means 2s.
	// Failed polls back off up to 30s.
	PollInterval time.Duration
	// Getenv reads the console's environment ($VISUAL, $EDITOR); nil
	// means os.Getenv.
	Getenv func(string) string
	// NoEditor refuses $EDITOR for skills. Set it over SSH: an editor runs
	// on the server's host and most can spawn a shell.
	NoEditor bool
	// HealthInterval is how often the header checks /health; 0 means 10s.
	HealthInterval time.Duration
	// Now is the clock for relative times; nil means time.Now.
	Now func() time.Time
	// Scope limits every page to one owner's agents, sessions and skills
	// (an SSH key mapped to an owner); the zero Scope shows everything.
	Scope client.Scope
	// SwitchContext builds the client and endpoint of a saved context
	// for `:ctx NAME` (ContextSwitcher makes one from the config); nil
	// refuses `:ctx`, as the SSH console must: its users may not take up
	// the server host's saved keys.
	SwitchContext func(name string) (*client.Client, config.Endpoint, error)
	// Context bounds the console's requests (New only; Run takes its
	// own): the SSH server passes the session's, so a hang-up cancels
	// what is in flight. Nil means context.Background().
	Context context.Context
}

// New builds the console's root model. It does no I/O: the first fetches
// run from Init.
func New(opts Options) *Model {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return newModel(ctx, opts)
}

// Run runs the console on ios until the operator quits or ctx ends, in
// the alternate screen. When ctx ends the console quits through the
// program (p.Quit), not by a cancelled program context: a killed program
// skips restoring the terminal and races its input reader.
func Run(ctx context.Context, opts Options, ios *iostreams.IOStreams) error {
	m := newModel(ctx, opts)
	p := tea.NewProgram(m,
		tea.WithInput(ios.In),
		tea.WithOutput(ios.Out),
		tea.WithEnvironment(ios.Environ()),
		tea.WithColorProfile(ios.ColorProfile()),
	)
	stop := context.AfterFunc(ctx, p.Quit)
	defer stop()
	_, err := p.Run()
	return err
}

func getenvOr(f func(string) string) func(string) string {
	if f != nil {
		return f
	}
	return os.Getenv
}

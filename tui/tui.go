// Package tui is lapctl's full-screen admin console (Bubble Tea): the
// Agents, Sessions and Skills pages under a header (context, server,
// health, user) and above a status line and key help.
//
// Everything that draws takes its styles from the renderer in Options, so
// the same console runs on the local terminal (lipgloss.DefaultRenderer)
// and over SSH (each session's renderer). All I/O runs in tea.Cmds.
package tui

import (
	"context"
	"errors"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

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
	// Renderer builds every style; nil means lipgloss.DefaultRenderer().
	// The SSH server passes each session's.
	Renderer *lipgloss.Renderer
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

// Run runs the console on ios until the operator quits or ctx ends
// (an SSH session closing), in the alternate screen.
func Run(ctx context.Context, opts Options, ios *iostreams.IOStreams) error {
	m := newModel(ctx, opts)
	p := tea.NewProgram(m,
		tea.WithAltScreen(),
		tea.WithInput(ios.In),
		tea.WithOutput(ios.Out),
		tea.WithContext(ctx),
	)
	_, err := p.Run()
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		// The caller ended the console on purpose (an SSH client hung up).
		return nil
	}
	return err
}

func getenvOr(f func(string) string) func(string) string {
	if f != nil {
		return f
	}
	return os.Getenv
}

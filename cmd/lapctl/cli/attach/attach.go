// Package attach is `lapctl attach`: connect this terminal to a TUI
// session's PTY, by session, by agent (starting a session), or straight
// by URL and token.
package attach

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/ptyattach"
	"lapctl/spec"
)

// EnvTTYToken holds the token for --url, so it stays out of process lists.
const EnvTTYToken = "LAPCTL_TTY_TOKEN"

// AttachOptions are the inputs of `lapctl attach`.
type AttachOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Config func() (*config.Config, error)
	// Attach runs the attach; tests replace it.
	Attach func(context.Context, ptyattach.Options) (*ptyattach.Result, error)
	// ResolveAgent and ResolveSession find what the caller may use: over
	// SSH, another owner's agents and sessions are not found.
	ResolveAgent   func(context.Context, *client.Client, string) (*spec.Agent, error)
	ResolveSession func(context.Context, *client.Client, string) (*spec.Session, error)

	Session     string
	Agent       string
	Resume      bool
	Title       string
	URL         string
	Token       string
	DetachKeys  string
	ReadOnly    bool
	NoReconnect bool
	// Timeout bounds the wait for a starting session.
	Timeout time.Duration
}

// NewCmdAttach builds `lapctl attach`.
func NewCmdAttach(f *cmdutil.Factory, runF func(*AttachOptions) error) *cobra.Command {
	who := f.Caller()
	opts := &AttachOptions{
		IO: f.IOStreams, Client: f.Client, Config: f.Config, Attach: ptyattach.Attach,
		ResolveAgent: func(ctx context.Context, c *client.Client, ref string) (*spec.Agent, error) {
			return cmdutil.ResolveAgent(ctx, who, c, ref)
		},
		ResolveSession: func(ctx context.Context, c *client.Client, ref string) (*spec.Session, error) {
			return cmdutil.ResolveSession(ctx, who, c, ref)
		},
	}
	cmd := &cobra.Command{
		Use:   "attach [<session>]",
		Short: "Attach this terminal to a TUI session",
		Long: `Attach this terminal to the terminal of a session of a TUI harness
(claude-code, codex), like ssh: keys go to the agent, its screen comes back.

Detach with ctrl-] (the session goes on); press it twice to send it
through. Change the sequence with --detach-keys or detach_keys in the
config file, in docker's syntax ("ctrl-p,ctrl-q"). Ctrl-D is the agent's
EOF, never a detach. A dropped connection is retried (a few times, with
backoff) only while the server says the session is alive.

A session still starting is waited for, with its phase on a spinner, for
at most --timeout; then attach gives up and prints what the server said
(status, phase, phase detail, failure reason, times). Esc or ctrl-c leave
the wait at once; the session goes on. A session without a terminal (an
API harness, or any session of a platform without PTYs) is refused at
once: talk to it with lapctl sessions send.

Exit codes:
  N    the agent's process exited with N (0 included)
  0    detached (the session goes on)
  1    the session ended without an exit code (a server restart killed it,
       it failed to start), the connection was lost for good, or the
       start timed out
  5    the session has no terminal
  130  Esc or ctrl-c while waiting for the start
  143  SIGTERM, 129 SIGHUP (the terminal is restored, the session goes on)

The session is an id, a title or a unique id prefix. --agent starts a new
session on a TUI agent and attaches (--resume resumes a paused agent
first). --url attaches straight to any endpoint that speaks the platform's
WebSocket PTY protocol; give its token with --token or $LAPCTL_TTY_TOKEN.`,
		Example: `  lapctl attach ses_12ab
  lapctl attach --agent reviewer --resume
  lapctl attach ses_12ab --detach-keys ctrl-p,ctrl-q
  lapctl attach ses_12ab --read-only         # watch, type nothing
  LAPCTL_TTY_TOKEN=… lapctl attach --url wss://agents.example.com/session/ses_12ab/tty`,
		Args:              cmdutil.RangeArgs(0, 1, "a session"),
		ValidArgsFunction: cmdutil.CompleteSessions(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Session = args[0]
			}
			if err := opts.check(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return attachRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Agent, "agent", "a", "", "Start a session on this TUI agent and attach to it")
	fl.BoolVar(&opts.Resume, "resume", false, "With --agent: resume the agent first if it is paused")
	fl.StringVar(&opts.Title, "title", "", "With --agent: the new session's title")
	fl.StringVar(&opts.URL, "url", "", "Attach straight to this ws(s):// tty endpoint")
	fl.StringVar(&opts.Token, "token", "", "With --url: the tty token (prefer $"+EnvTTYToken+": flags show in process lists)")
	fl.BoolVar(&opts.ReadOnly, "read-only", false, "Watch the session: send no keys and no resizes (the detach keys or ctrl-c leave)")
	fl.StringVar(&opts.DetachKeys, "detach-keys", "", `Detach sequence, e.g. "ctrl-p,ctrl-q" (default: detach_keys from the config, else ctrl-])`)
	fl.BoolVar(&opts.NoReconnect, "no-reconnect", false, "Exit when the connection drops instead of reconnecting")
	fl.DurationVar(&opts.Timeout, "timeout", ptyattach.DefaultStartTimeout, "Give up waiting for a starting session after this long")
	_ = cmd.RegisterFlagCompletionFunc("agent", cmdutil.CompleteAgents(f))
	return cmd
}

// check validates the flag combination before anything is sent.
func (o *AttachOptions) check(cmd *cobra.Command) error {
	n := 0
	for _, set := range []bool{o.Session != "", o.Agent != "", o.URL != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return cmdutil.FlagErrorf("give one of: a session, --agent NAME, or --url URL")
	}
	if o.Resume && o.Agent == "" {
		return cmdutil.FlagErrorf("--resume goes with --agent")
	}
	if o.Title != "" && o.Agent == "" {
		return cmdutil.FlagErrorf("--title goes with --agent")
	}
	if cmd.Flags().Changed("token") && o.URL == "" {
		return cmdutil.FlagErrorf("--token goes with --url; sessions carry their own token")
	}
	if o.URL != "" {
		if o.Token == "" {
			o.Token = o.IO.Getenv(EnvTTYToken)
		}
		if o.Token == "" {
			return cmdutil.FlagErrorf("--url needs the endpoint's token: set $%s (or --token)", EnvTTYToken)
		}
		if !strings.HasPrefix(o.URL, "ws://") && !strings.HasPrefix(o.URL, "wss://") &&
			!strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://") {
			return cmdutil.FlagErrorf("--url must be a ws:// or wss:// URL, got %q", o.URL)
		}
	}
	if o.Timeout <= 0 && cmd.Flags().Changed("timeout") {
		return cmdutil.FlagErrorf("--timeout must be above 0, e.g. 30s or 10m; got %s", o.Timeout)
	}
	if o.DetachKeys != "" {
		if _, err := ptyattach.ParseDetachKeys(o.DetachKeys); err != nil {
			return &cmdutil.FlagError{Err: err}
		}
	}
	return nil
}

func attachRun(ctx context.Context, o *AttachOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	keys, err := o.detachKeys()
	if err != nil {
		return err
	}
	popts := ptyattach.Options{
		ReadOnly:   o.ReadOnly,
		DetachKeys: keys,
		In:         o.IO.In,
		Out:        o.IO.Out,
		ErrOut:     o.IO.ErrOut,
		Reconnect:  !o.NoReconnect,
		// Zero (AttachSession's callers) is ptyattach's default.
		StartTimeout: o.Timeout,
	}
	if o.URL != "" {
		popts.URL, popts.Token = o.URL, o.Token
		res, err := o.Attach(ctx, popts)
		return o.finish(ctx, res, err)
	}
	c, err := o.Client()
	if err != nil {
		return err
	}
	var sess *spec.Session
	if o.Agent != "" {
		sess, err = startSession(ctx, o, c)
	} else {
		sess, err = o.ResolveSession(ctx, c, o.Session)
	}
	if err != nil {
		return err
	}
	if tty, known := hasTerminal(sess); known && !tty {
		return o.finish(ctx, nil, &ptyattach.NoTTYError{SessionID: sess.ID, Harness: sess.Harness})
	}
	popts.Client, popts.SessionID = c, sess.ID
	res, err := o.Attach(ctx, popts)
	return o.finish(ctx, res, err)
}

// detachKeys picks the sequence: flag, then config file, then the default.
func (o *AttachOptions) detachKeys() (string, error) {
	if o.DetachKeys != "" {
		return o.DetachKeys, nil
	}
	cfg, err := o.Config()
	if err != nil || cfg.DetachKeys == "" {
		return "", err
	}
	if _, err := ptyattach.ParseDetachKeys(cfg.DetachKeys); err != nil {
		return "", fmt.Errorf("detach_keys in %s: %w", cfg.Path(), err)
	}
	return cfg.DetachKeys, nil
}

// hasTerminal is what the server said about the session's terminal:
// tty_url or supports_tui (HasTTY), else the session's kind; unknown when
// it said nothing, and then the attach finds out.
func hasTerminal(s *spec.Session) (tty, known bool) {
	if tty, known := s.HasTTY(); known {
		return tty, true
	}
	if s.Kind != "" {
		return s.Kind == spec.KindTUI, true
	}
	return false, false
}

// finish maps how the attach ended to the command's result (the exit
// codes of the command's help).
func (o *AttachOptions) finish(ctx context.Context, res *ptyattach.Result, err error) error {
	var se *ptyattach.SignalError
	var noTTY *ptyattach.NoTTYError
	if code, ok := signalCode(ctx); ok && (err != nil || res == nil || res.Detached) {
		// A signal cancelled the command: however that reached the
		// attach (a cancelled request, a detach), the signal's code.
		return &cmdutil.ExitCodeError{Code: code}
	}
	switch {
	case errors.As(err, &se):
		return &cmdutil.ExitCodeError{Code: se.ExitCode()}
	case errors.As(err, &noTTY):
		fmt.Fprintf(o.IO.ErrOut, "error: %s\n", noTTY)
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitConflict}
	case errors.Is(err, ptyattach.ErrStoppedWaiting):
		return cmdutil.ErrCancel // the attach said so
	case errors.Is(err, context.Canceled):
		return cmdutil.ErrCancel
	case err != nil:
		return err
	case res != nil && res.Exited && res.ExitCode != 0:
		return &cmdutil.ExitCodeError{Code: res.ExitCode}
	}
	return nil
}

// signalCode is 128+n when a signal cancelled ctx: the root command's
// signal.NotifyContext and the attach both hear SIGTERM, and whichever
// comes first, SIGTERM exits 143, never 130.
func signalCode(ctx context.Context) (int, bool) {
	if ctx == nil {
		return 0, false
	}
	cause := context.Cause(ctx)
	if cause == nil {
		return 0, false
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		// The text NotifyContext gives its cause.
		if cause.Error() == os.Signal(sig).String()+" signal received" {
			return 128 + int(sig), true
		}
	}
	return 0, false
}

// AttachSession attaches f's terminal to a session: what `sessions create
// --attach` and the agent builder call (the root sets
// Factory.AttachSession to it).
func AttachSession(f *cmdutil.Factory) func(context.Context, *spec.Session) error {
	return func(ctx context.Context, s *spec.Session) error {
		o := &AttachOptions{IO: f.IOStreams, Client: f.Client, Config: f.Config, Attach: ptyattach.Attach, Session: s.ID,
			ResolveSession: func(context.Context, *client.Client, string) (*spec.Session, error) { return s, nil }}
		return attachRun(ctx, o)
	}
}

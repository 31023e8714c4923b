package sessions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/spec"
	"lapctl/tui/screen"
)

// LogsOptions are the inputs of `sessions logs`.
type LogsOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller cmdutil.Caller
	// Watch follows a session's terminal read-only (screen.Watch).
	Watch func(ctx context.Context, url, token string, out io.Writer, onFrame func()) error
	// Timing: how long to wait for the terminal's first frame, how long
	// its replay may pause before it counts as complete, how often -f
	// asks an API session for new messages, and how often -f redraws.
	FirstFrame time.Duration
	Settle     time.Duration
	Poll       time.Duration
	Redraw     time.Duration

	Ref    string
	Follow bool
	Raw    bool
	Tail   int
	Width  int
	Height int
}

// Default screen size: the embedded server starts every PTY at 80×24
// until an attached client resizes it, and the API does not say a
// session's current size.
const (
	defaultWidth  = 80
	defaultHeight = 24
)

// NewCmdLogs builds `sessions logs`.
func NewCmdLogs(f *cmdutil.Factory, runF func(*LogsOptions) error) *cobra.Command {
	opts := &LogsOptions{IO: f.IOStreams, Client: f.Client, Caller: f.Caller(), Watch: screen.Watch,
		FirstFrame: 2 * time.Second, Settle: 150 * time.Millisecond, Poll: time.Second, Redraw: 50 * time.Millisecond}
	cmd := &cobra.Command{
		Use:   "logs <session>",
		Short: "Print a session's screen (TUI) or messages (API), without attaching",
		Long: `Print what a session shows, for scripts and a quick look, like docker logs.

A session with a terminal (a TUI harness): its current screen, rebuilt from
the server's replay of recent output through a terminal emulator of
--width×--height cells (default 80×24, the size the server starts a
terminal at), trailing blank lines dropped. Nothing is sent to the
session: no keys, no resize. --raw prints the replayed bytes as they came
instead (escape sequences included).

A session without a terminal (an API harness): its messages, as
"role:" and the text.

-f follows until the session ends or Ctrl-C (both exit 0):
  on a terminal   the screen is redrawn in place as it changes
  piped           lines are printed as they are finished (the cursor's line
                  once the next one starts), so a scrolling program reads
                  as a log; a screen redrawn in place (a full-screen
                  program) is printed again whole
  --raw           the bytes are streamed as they come
  API session     new messages are printed as they arrive (polled)

An ended session prints its last screen if the server still replays it,
else fails saying it ended (exit 1). The tty token is never printed.`,
		Example: `  lapctl sessions logs ses_12ab
  lapctl sessions logs -f ses_12ab | grep -m1 'Tests passed'
  lapctl sessions logs --raw ses_12ab > screen.ans
  lapctl sessions logs --tail 5 v1.2          # an API session's last 5 messages`,
		Args:              cmdutil.ExactArgs(1, "a session id, title or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSessions(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return logsRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&opts.Follow, "follow", "f", false, "Keep printing as the session goes on, until it ends or Ctrl-C")
	fl.BoolVar(&opts.Raw, "raw", false, "Print the terminal's raw bytes instead of the rendered screen")
	fl.IntVarP(&opts.Tail, "tail", "n", 0, "Print only the last N lines of the screen (N messages of an API session); 0 for all")
	fl.IntVar(&opts.Width, "width", defaultWidth, "Columns of the emulated screen")
	fl.IntVar(&opts.Height, "height", defaultHeight, "Rows of the emulated screen")
	return cmd
}

// maxScreenSide bounds --width and --height: an emulator allocates its
// cells up front.
const maxScreenSide = 1000

func (o *LogsOptions) check() error {
	switch {
	case o.Tail < 0:
		return cmdutil.FlagErrorf("--tail cannot be negative; 0 prints everything")
	case o.Raw && o.Tail > 0:
		return cmdutil.FlagErrorf("--tail counts screen lines, which --raw does not have: use one or the other")
	case o.Width < 1 || o.Width > maxScreenSide:
		return cmdutil.FlagErrorf("--width must be between 1 and %d, got %d", maxScreenSide, o.Width)
	case o.Height < 1 || o.Height > maxScreenSide:
		return cmdutil.FlagErrorf("--height must be between 1 and %d, got %d", maxScreenSide, o.Height)
	}
	return nil
}

func logsRun(ctx context.Context, opts *LogsOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := cmdutil.ResolveSession(ctx, opts.Caller, c, opts.Ref)
	if err != nil {
		return err
	}
	if kind(s) != spec.KindTUI {
		return historyLogs(ctx, opts, c, s)
	}
	if s.TTYURL == "" || s.TTYToken == "" {
		// A listed session may lack its tty_url or token; the single GET has them.
		if s, err = c.GetSession(ctx, s.ID); err != nil {
			return err
		}
	}
	if starting(s) {
		// Without -f, a start about to finish is waited for as long as a
		// first frame would be.
		wctx, cancel := ctx, context.CancelFunc(func() {})
		if !opts.Follow {
			wctx, cancel = context.WithTimeout(ctx, opts.FirstFrame)
		}
		up, err := followStart(wctx, opts, c, s)
		cancel()
		switch {
		case err != nil:
			return err
		case up == nil && opts.Follow || ctx.Err() != nil:
			return nil // Ctrl-C
		case up == nil:
			fmt.Fprintf(opts.IO.ErrOut, "Session %s is still %s: nothing on its terminal yet (-f waits for it).\n", label(s), status(s))
			return nil
		}
		s = up
	}
	return screenLogs(ctx, opts, c, s)
}

// starting reports whether the session is on its way up (the managed
// platform says creating).
func starting(s *spec.Session) bool {
	return s.Status == spec.SessionStarting || s.Status == "creating"
}

// followStart polls a starting session until it is up or ended; nil
// without an error when ctx ended first (Ctrl-C).
func followStart(ctx context.Context, opts *LogsOptions, c *client.Client, s *spec.Session) (*spec.Session, error) {
	tick := time.NewTicker(opts.Poll)
	defer tick.Stop()
	for starting(s) {
		select {
		case <-ctx.Done():
			return nil, nil
		case <-tick.C:
		}
		now, err := c.GetSession(ctx, s.ID)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil
			}
			return nil, err
		}
		s = now
	}
	return s, nil
}

// ended reports whether the session's process is gone for good.
func ended(s *spec.Session) bool {
	return s.Status == spec.SessionExited || s.Status == spec.SessionError ||
		s.Status == "failed" || s.Status == "dead" || s.Status == "stopped"
}

// endNote words how a session ended: "exited, exit code 0".
func endNote(s *spec.Session) string {
	note := s.Status
	if s.ExitCode != nil {
		note += fmt.Sprintf(", exit code %d", *s.ExitCode)
	}
	if s.FailureReason != "" {
		note += ": " + s.FailureReason
	}
	return note
}

// noReplayError: an ended session whose terminal the server no longer
// replays.
func noReplayError(s *spec.Session, cause error) error {
	msg := fmt.Sprintf("session %s has ended (%s): the server keeps no screen of an ended session", label(s), endNote(s))
	if cause != nil {
		msg += fmt.Sprintf(" (%v)", cause)
	}
	return errors.New(msg)
}

// reportEnd tells stderr that a followed session ended.
func reportEnd(ctx context.Context, opts *LogsOptions, c *client.Client, id string) {
	s, err := c.GetSession(context.WithoutCancel(ctx), id)
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "Session %s ended.\n", id)
		return
	}
	fmt.Fprintf(opts.IO.ErrOut, "Session %s ended (%s).\n", label(s), endNote(s))
}

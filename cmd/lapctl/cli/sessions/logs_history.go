package sessions

import (
	"context"
	"fmt"
	"time"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// historyLogs prints an API session's messages; with -f it polls for
// new ones until the session ends or ctx does (Ctrl-C).
func historyLogs(ctx context.Context, opts *LogsOptions, c *client.Client, s *spec.Session) error {
	if opts.Raw {
		fmt.Fprintf(opts.IO.ErrOut, "error: session %s has no terminal, so no raw output: drop --raw to print its messages\n", label(s))
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitConflict}
	}
	msgs, err := c.Messages(ctx, s.ID)
	if err != nil {
		return err
	}
	shown := len(msgs)
	first := msgs
	if opts.Tail > 0 && len(first) > opts.Tail {
		first = first[len(first)-opts.Tail:]
	}
	if err := printMessages(opts.IO, first, false); err != nil {
		return err
	}
	if shown == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "Session %s has no messages yet (it has no terminal: send it one with lapctl sessions send %s \"…\").\n", label(s), s.ID)
	}
	if !opts.Follow {
		return nil
	}
	if ended(s) {
		fmt.Fprintf(opts.IO.ErrOut, "Session %s has ended (%s).\n", label(s), endNote(s))
		return nil
	}
	tick := time.NewTicker(opts.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		msgs, err := c.Messages(ctx, s.ID)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(msgs) > shown {
			if err := printMessages(opts.IO, msgs[shown:], shown > 0); err != nil {
				return err
			}
			shown = len(msgs)
		}
		now, err := c.GetSession(ctx, s.ID)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			return err
		case ended(now):
			fmt.Fprintf(opts.IO.ErrOut, "Session %s ended (%s).\n", label(now), endNote(now))
			return nil
		}
	}
}

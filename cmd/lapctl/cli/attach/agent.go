package attach

import (
	"context"
	"fmt"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// startSession resolves --agent, checks it can have a terminal, resumes it
// with --resume, and starts a session on it.
func startSession(ctx context.Context, o *AttachOptions, c *client.Client) (*spec.Session, error) {
	a, err := o.ResolveAgent(ctx, c, o.Agent)
	if err != nil {
		return nil, err
	}
	if !a.SupportsTUI {
		// What the server says (supports_tui), not a table of names:
		// on the gateway no harness has a terminal.
		fmt.Fprintf(o.IO.ErrOut, "error: agent %s (%s, harness %s) has no terminal to attach to: start a session and talk to it with: lapctl sessions create --agent %s, then lapctl sessions send\n", a.Name, a.ID, orDefault(a.Harness, "the default"), a.Name)
		return nil, &cmdutil.ExitCodeError{Code: cmdutil.ExitConflict}
	}
	if a.Status == spec.StatusPaused {
		if !o.Resume {
			return nil, fmt.Errorf("agent %s (%s) is paused: add --resume to resume it and attach, or run: lapctl agents resume %s", a.Name, a.ID, a.ID)
		}
		if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
			return nil, fmt.Errorf("resuming agent %s: %w", a.Name, err)
		}
		fmt.Fprintf(o.IO.ErrOut, "resumed agent %s\n", a.Name)
	}
	s, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: o.Title})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.IO.ErrOut, "started session %s on agent %s\n", s.ID, a.Name)
	return s, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

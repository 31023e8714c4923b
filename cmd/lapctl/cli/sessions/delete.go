package sessions

import (
	"context"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
)

// DeleteOptions are the inputs of `sessions delete`.
type DeleteOptions = cmdutil.DeleteOptions

// NewCmdDelete builds `sessions delete` (alias stop).
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	return cmdutil.NewDeleteCmd(f, &cobra.Command{
		Use:     "delete <session>...",
		Aliases: []string{"stop", "rm"},
		Short:   "Stop sessions",
		Long: `Stop sessions and their processes (stopping one already stopped is not an
error). On a terminal it asks first; --yes skips the question and is
required when there is no terminal.`,
		Args:              cmdutil.MinimumArgs(1, "at least one session id, title or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSessions(f),
	}, "Stop without asking", runF, deleteRun)
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	targets, err := cmdutil.ResolveEach(opts.Refs, func(ref string) (cmdutil.Target, error) {
		s, err := cmdutil.ResolveSession(ctx, opts.Caller, c, ref)
		if err != nil {
			return cmdutil.Target{}, err
		}
		return cmdutil.Target{ID: s.ID, Label: label(s)}, nil
	})
	if err != nil {
		return err
	}
	return cmdutil.Deletion{Noun: "session", Verb: "stop", Done: "Stopped", Doing: "stopping", Delete: c.DeleteSession}.Run(ctx, opts, targets)
}

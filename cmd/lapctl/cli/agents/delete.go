package agents

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// DeleteOptions are the inputs of `agents delete`.
type DeleteOptions = cmdutil.DeleteOptions

// NewCmdDelete builds `agents delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	return cmdutil.NewDeleteCmd(f, &cobra.Command{
		Use:     "delete <agent>...",
		Aliases: []string{"rm"},
		Short:   "Delete agents and stop their sessions",
		Long: `Delete one or more agents; their sessions are stopped. Every agent is
looked up first, so a typo deletes nothing. On a terminal it asks first;
--yes skips the question, and is required when there is no terminal.`,
		Args:              cmdutil.MinimumArgs(1, "at least one agent id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteAgents(f),
	}, "Delete without asking", runF, deleteRun)
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	agents, err := resolveAll(ctx, opts.Caller, c, opts.Refs)
	if err != nil {
		return err
	}
	targets := make([]cmdutil.Target, len(agents))
	sessions := 0
	for i, a := range agents {
		targets[i] = cmdutil.Target{ID: a.ID, Label: label(a)}
		sessions += a.SessionCount
	}
	d := cmdutil.Deletion{Noun: "agent", Verb: "delete", Done: "Deleted", Doing: "deleting", Delete: c.DeleteAgent}
	if sessions > 0 {
		d.Suffix = fmt.Sprintf(" and stop %d session(s)", sessions)
	}
	return d.Run(ctx, opts, targets)
}

// resolveAll resolves every reference before anything is changed, and
// refuses a list naming one agent twice.
func resolveAll(ctx context.Context, who cmdutil.Caller, c *client.Client, refs []string) ([]*spec.Agent, error) {
	seen := map[string]string{}
	return cmdutil.ResolveEach(refs, func(ref string) (*spec.Agent, error) {
		a, err := cmdutil.ResolveAgent(ctx, who, c, ref)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[a.ID]; dup {
			return nil, cmdutil.FlagErrorf("%q and %q both name agent %s", prev, ref, label(a))
		}
		seen[a.ID] = ref
		return a, nil
	})
}

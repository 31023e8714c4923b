package skills

import (
	"context"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
)

// DeleteOptions are the inputs of `skills delete`.
type DeleteOptions = cmdutil.DeleteOptions

// NewCmdDelete builds `skills delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	return cmdutil.NewDeleteCmd(f, &cobra.Command{
		Use:     "delete <skill>...",
		Aliases: []string{"rm"},
		Short:   "Delete skills",
		Long: `Delete skills. On a terminal it asks first; --yes skips the question and
is required when there is no terminal. The server refuses to delete a
skill that agents still use, naming them.`,
		Args:              cmdutil.MinimumArgs(1, "at least one skill id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSkills(f),
	}, "Delete without asking", runF, deleteRun)
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	targets, err := cmdutil.ResolveEach(opts.Refs, func(ref string) (cmdutil.Target, error) {
		s, err := cmdutil.ResolveSkill(ctx, opts.Caller, c, ref, true)
		if err != nil {
			return cmdutil.Target{}, err
		}
		return cmdutil.Target{ID: s.ID, Label: label(s)}, nil
	})
	if err != nil {
		return err
	}
	return cmdutil.Deletion{Noun: "skill", Verb: "delete", Done: "Deleted", Doing: "deleting", Delete: c.DeleteSkill}.Run(ctx, opts, targets)
}

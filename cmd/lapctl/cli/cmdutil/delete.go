package cmdutil

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
)

// DeleteOptions are the inputs of `agents|sessions|skills delete`.
type DeleteOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller Caller

	Refs []string
	Yes  bool
	JSON bool
}

// NewDeleteCmd makes cmd (its words, Args and completion) a delete
// command: --yes (described by yesHelp), --json, and run on the refs, or
// runF instead when a test passes one.
func NewDeleteCmd(f *Factory, cmd *cobra.Command, yesHelp string, runF func(*DeleteOptions) error, run func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams, Client: f.Client, Caller: f.Caller()}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.Refs = args
		if runF != nil {
			return runF(opts)
		}
		return run(cmd.Context(), opts)
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, yesHelp)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `Print {"deleted":[ids]}`)
	return cmd
}

// ResolveEach resolves every ref, in order, before anything is changed,
// so a typo in the last one changes nothing.
func ResolveEach[T any](refs []string, resolve func(ref string) (T, error)) ([]T, error) {
	out := make([]T, 0, len(refs))
	for _, ref := range refs {
		v, err := resolve(ref)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Target is one object a delete acts on.
type Target struct {
	ID    string
	Label string // how messages name it: "name (id)"
}

// Deletion is what the delete commands share: one question for every
// target (or a refusal without a terminal and --yes), then each deleted
// in order and reported: "✓ Deleted agent x" on a terminal, the bare id
// when piped, or {"deleted":[ids]} with --json.
type Deletion struct {
	Noun   string // "agent"
	Verb   string // the question's verb: "delete" ("stop" for sessions)
	Done   string // the report's verb: "Deleted"
	Doing  string // names a failure: "deleting"
	Suffix string // ends the question, as " and stop 2 session(s)"
	Delete func(ctx context.Context, id string) error
}

// Run asks, then deletes targets; it stops at the first failure.
func (d Deletion) Run(ctx context.Context, opts *DeleteOptions, targets []Target) error {
	labels := make([]string, len(targets))
	for i, t := range targets {
		labels[i] = t.Label
	}
	question := d.Verb + " " + d.Noun + " " + strings.Join(labels, ", ") + d.Suffix
	if err := ConfirmDestructive(ctx, opts.Caller, opts.Yes, question); err != nil {
		return err
	}
	ios := opts.IO
	deleted := []string{}
	for _, t := range targets {
		if err := d.Delete(ctx, t.ID); err != nil {
			return fmt.Errorf("%s %s: %w", d.Doing, t.Label, err)
		}
		deleted = append(deleted, t.ID)
		switch {
		case opts.JSON:
		case ios.IsStdoutTTY():
			fmt.Fprintf(ios.Out, "✓ %s %s %s\n", d.Done, d.Noun, t.Label)
		default:
			fmt.Fprintln(ios.Out, t.ID)
		}
	}
	if opts.JSON {
		return output.WriteJSON(ios.Out, map[string][]string{"deleted": deleted})
	}
	return nil
}

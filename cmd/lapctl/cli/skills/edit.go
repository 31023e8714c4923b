package skills

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/spec"
)

// EditOptions are the inputs of `skills edit`.
type EditOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller cmdutil.Caller
	// Edit opens text in the user's editor and returns what was saved.
	Edit func(ctx context.Context, text string) (string, error)

	Ref   string
	Patch spec.SkillPatch
	// UseEditor opens $EDITOR on the content: a terminal and no flags.
	UseEditor bool
	JSON      bool
	Export    output.Export
}

// NewCmdEdit builds `skills edit`.
func NewCmdEdit(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	opts := &EditOptions{IO: f.IOStreams, Client: f.Client, Caller: f.Caller(), Edit: func(ctx context.Context, text string) (string, error) {
		return cmdutil.EditText(ctx, f.Caller(), "skill-*.md", text)
	}}
	var (
		name, description, owner string
		content                  contentFlags
	)
	cmd := &cobra.Command{
		Use:   "edit <skill>",
		Short: "Change a skill",
		Long: `Change the fields given as flags. On a terminal with no flags, the
content opens in $VISUAL or $EDITOR (via a private temporary file) and is
saved when the editor exits with changes.`,
		Args:              cmdutil.ExactArgs(1, "a skill id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSkills(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			set := func(flag, v string, dst **string) {
				if cmd.Flags().Changed(flag) {
					*dst = &v
				}
			}
			set("name", name, &opts.Patch.Name)
			set("description", description, &opts.Patch.Description)
			set("owner", owner, &opts.Patch.OwnerID)
			if opts.Patch.OwnerID != nil && opts.Caller.Identity != "" && *opts.Patch.OwnerID != opts.Caller.Identity {
				return cmdutil.FlagErrorf("--owner: you act as owner %s and cannot hand skills to another owner", opts.Caller.Identity)
			}
			text, given, err := content.read(opts.Caller, cmd)
			if err != nil {
				return err
			}
			if given {
				opts.Patch.Content = &text
			}
			if opts.Patch == (spec.SkillPatch{}) {
				if !opts.IO.CanPrompt() {
					return cmdutil.FlagErrorf("nothing to change: give --name, --description, --owner, --content or --content-file")
				}
				opts.UseEditor = true
			}
			if runF != nil {
				return runF(opts)
			}
			return editRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&name, "name", "n", "", "New name")
	cmd.Flags().StringVarP(&description, "description", "d", "", "New description")
	cmd.Flags().StringVar(&owner, "owner", "", "New owner id")
	content.register(cmd)
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the updated skill")
	return cmd
}

func editRun(ctx context.Context, opts *EditOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := cmdutil.ResolveSkill(ctx, opts.Caller, c, opts.Ref, true)
	if err != nil {
		return err
	}
	if opts.UseEditor {
		text, err := opts.Edit(ctx, s.Content)
		if err != nil {
			return err
		}
		if text == s.Content {
			fmt.Fprintf(opts.IO.ErrOut, "No changes to skill %s.\n", label(s))
			return nil
		}
		opts.Patch.Content = &text
	}
	if err := opts.Patch.Validate(); err != nil {
		return fmt.Errorf("invalid change: %w", err)
	}
	updated, err := c.UpdateSkill(ctx, s.ID, &opts.Patch)
	if err != nil {
		return err
	}
	return printSaved(opts.IO, updated, "Updated", &opts.Export)
}

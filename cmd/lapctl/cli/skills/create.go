package skills

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/spec"
)

// CreateOptions are the inputs of `skills create`.
type CreateOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*client.Client, error)
	Endpoint func() (config.Endpoint, error)
	Caller   cmdutil.Caller

	Name        string
	Description string
	Owner       string
	Content     string
	JSON        bool
	Export      output.Export
}

// NewCmdCreate builds `skills create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams, Client: f.Client, Endpoint: f.Endpoint, Caller: f.Caller()}
	var content contentFlags
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a skill",
		Long: `Create a skill. The content comes from --content, --content-file PATH, or
--content-file - (stdin). The owner defaults to the config's owner_id.`,
		Example: `  lapctl skills create --name code-review --content-file review.md
  cat review.md | lapctl skills create --name code-review --content-file -`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			text, given, err := content.read(opts.Caller, cmd)
			if err != nil {
				return err
			}
			if !given {
				return cmdutil.FlagErrorf("give the skill's content with --content, --content-file PATH or --content-file - (stdin)")
			}
			opts.Content = text
			if runF != nil {
				return runF(opts)
			}
			return createRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "Skill name (required)")
	cmd.Flags().StringVarP(&opts.Description, "description", "d", "", "Description")
	cmd.Flags().StringVar(&opts.Owner, "owner", "", "Owner id (default: the config's owner_id)")
	content.register(cmd)
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the created skill")
	return cmd
}

func createRun(ctx context.Context, opts *CreateOptions) error {
	ep, err := opts.Endpoint()
	if err != nil {
		return err
	}
	s := &spec.SkillSpec{Name: opts.Name, Description: opts.Description, Content: opts.Content, OwnerID: opts.Caller.Owner(opts.Owner, ep.OwnerID)}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("invalid skill: %w", err)
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	sk, err := c.CreateSkill(ctx, s)
	if err != nil {
		return err
	}
	return printSaved(opts.IO, sk, "Created", &opts.Export)
}

// printSaved reports a created or updated skill (see output.Report).
func printSaved(ios *iostreams.IOStreams, s *spec.Skill, verb string, e *output.Export) error {
	if e.Enabled {
		return e.Write(ios.Out, s)
	}
	return output.Report(ios, false, nil, s.ID, fmt.Sprintf("✓ %s skill %s", verb, label(s)))
}

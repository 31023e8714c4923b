package skills

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
)

// GetOptions are the inputs of `skills get`.
type GetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller cmdutil.Caller
	Now    func() time.Time

	Ref    string
	JSON   bool
	Export output.Export
}

// NewCmdGet builds `skills get`.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{IO: f.IOStreams, Client: f.Client, Caller: f.Caller(), Now: time.Now}
	cmd := &cobra.Command{
		Use:               "get <skill>",
		Aliases:           []string{"view", "show"},
		Short:             "Show a skill and its content",
		Args:              cmdutil.ExactArgs(1, "a skill id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSkills(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(opts)
			}
			return getRun(cmd.Context(), opts)
		},
	}
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the skill")
	return cmd
}

func getRun(ctx context.Context, opts *GetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := cmdutil.ResolveSkill(ctx, opts.Caller, c, opts.Ref, false)
	if err != nil {
		return err
	}
	if opts.JSON {
		return opts.Export.Write(opts.IO.Out, s)
	}
	d := output.NewDetail(opts.IO)
	d.Add("Name", s.Name)
	d.Add("ID", s.ID)
	d.Add("Owner", s.OwnerID)
	d.Add("Description", s.Description)
	d.Add("Created", output.When(opts.IO, s.CreatedAt, opts.Now()))
	d.Block("Content", s.Content)
	return d.Render()
}

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

// ListOptions are the inputs of `skills list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Now    func() time.Time

	Owner  string
	JSON   bool
	Export output.Export
}

// NewCmdList builds `skills list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client, Now: time.Now}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List skills",
		Long:    "List skills as a table, or as tab-separated rows (name, id, owner, description, created) when piped.",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Owner = f.Owner(opts.Owner, "")
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Owner, "owner", "", "Only skills of this owner id (and shared ones)")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "a JSON array of skills")
	return cmd
}

func listRun(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	skills, err := c.ListSkills(ctx, opts.Owner)
	if err != nil {
		return err
	}
	if opts.JSON {
		return opts.Export.Write(opts.IO.Out, skills)
	}
	return output.List(opts.IO, false, nil, len(skills), "No skills found. Create one with: lapctl skills create --name NAME --content-file FILE", func() error {
		now := opts.Now()
		t := output.NewTable(opts.IO,
			output.Column{Header: "NAME", MinWidth: 12},
			output.Column{Header: "ID"},
			output.Column{Header: "OWNER", Drop: 2, MinWidth: 8},
			output.Column{Header: "DESCRIPTION", Drop: 1, MinWidth: 16},
			output.Column{Header: "CREATED", Drop: 3},
		)
		for _, s := range skills {
			t.AddRow(s.Name, s.ID, s.OwnerID, s.Description, output.TimeCell(opts.IO, s.CreatedAt, now))
		}
		return t.Render()
	})
}

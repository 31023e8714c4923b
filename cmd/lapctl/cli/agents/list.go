package agents

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/spec"
)

// ListOptions are the inputs of `agents list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Now    func() time.Time

	Owner  string
	Search string
	Limit  int
	Offset int
	Sort   string
	Order  string
	All    bool
	JSON   bool
	Export output.Export
}

// NewCmdList builds `agents list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client, Now: time.Now}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List agents",
		Long: `List agents, newest first, as a table on a terminal or as tab-separated
rows (name, id, harness, model, status, sessions, created) when piped.`,
		Example: `  lapctl agents list --search review
  lapctl agents list --all --json | jq -r '.[].id'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Limit < 1 || opts.Limit > spec.MaxListLimit {
				return cmdutil.FlagErrorf("--limit must be between 1 and %d", spec.MaxListLimit)
			}
			if opts.Offset < 0 {
				return cmdutil.FlagErrorf("--offset cannot be negative")
			}
			if opts.Sort != "" && !slices.Contains(spec.SortKeys, opts.Sort) {
				return cmdutil.FlagErrorf("--sort must be one of %s", strings.Join(spec.SortKeys, ", "))
			}
			if opts.Order != "" && opts.Order != "asc" && opts.Order != "desc" {
				return cmdutil.FlagErrorf("--order must be asc or desc")
			}
			if opts.All && (cmd.Flags().Changed("limit") || cmd.Flags().Changed("offset")) {
				return cmdutil.FlagErrorf("--all cannot be combined with --limit or --offset")
			}
			opts.Owner = f.Owner(opts.Owner, "")
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Owner, "owner", "", "Only agents of this owner id")
	fl.StringVarP(&opts.Search, "search", "s", "", "Only agents whose name, id or harness contains this text")
	fl.IntVarP(&opts.Limit, "limit", "L", spec.DefaultListLimit, fmt.Sprintf("Agents per page (1-%d)", spec.MaxListLimit))
	fl.IntVar(&opts.Offset, "offset", 0, "Skip this many agents")
	fl.StringVar(&opts.Sort, "sort", "", "Sort by "+strings.Join(spec.SortKeys, ", ")+" (server default created_at)")
	fl.StringVar(&opts.Order, "order", "", "Sort order: asc or desc (default desc)")
	fl.BoolVar(&opts.All, "all", false, "Fetch every page")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "a JSON array of agents")
	_ = cmd.RegisterFlagCompletionFunc("sort", cmdutil.FixedCompletions(spec.SortKeys...))
	_ = cmd.RegisterFlagCompletionFunc("order", cmdutil.FixedCompletions("asc", "desc"))
	return cmd
}

func listRun(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	params := client.ListAgentsParams{OwnerID: opts.Owner, Search: opts.Search, Limit: opts.Limit, Offset: opts.Offset, Sort: opts.Sort, Order: opts.Order}
	var agents []spec.Agent
	total := 0
	if opts.All {
		agents, err = c.ListAllAgents(ctx, params)
		total = len(agents)
	} else {
		var page *client.AgentPage
		page, err = c.ListAgents(ctx, params)
		if page != nil {
			agents, total = page.Agents, page.Total
		}
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		// The server's objects, env values masked; filtered and paged the
		// same on every platform.
		out := make([]any, len(agents))
		for i := range agents {
			out[i] = agentJSON(&agents[i])
		}
		return opts.Export.Write(opts.IO.Out, out)
	}
	return output.List(opts.IO, false, nil, len(agents), "No agents found. Create one with: lapctl agents create", func() error {
		return renderAgents(opts, agents, total)
	})
}

// renderAgents prints the table and, on a terminal, where the page ends.
func renderAgents(opts *ListOptions, agents []spec.Agent, total int) error {
	now := opts.Now()
	t := output.NewTable(opts.IO,
		output.Column{Header: "NAME", MinWidth: 12},
		output.Column{Header: "ID"},
		output.Column{Header: "HARNESS", Drop: 3}, // never clipped: the API/TUI mark is at its end
		output.Column{Header: "MODEL", Drop: 4, MinWidth: 12},
		output.Column{Header: "STATUS", Drop: 2, Color: statusColor},
		output.Column{Header: "SESSIONS", Drop: 5},
		output.Column{Header: "CREATED", Drop: 6},
	)
	for i := range agents {
		a := &agents[i]
		t.AddRow(a.Name, a.ID, harnessLabel(a), a.Model, a.Status, strconv.Itoa(a.SessionCount), output.TimeCell(opts.IO, a.CreatedAt, now))
	}
	if err := t.Render(); err != nil {
		return err
	}
	if shown := opts.Offset + len(agents); opts.IO.IsStdoutTTY() && shown < total {
		fmt.Fprintf(opts.IO.ErrOut, "Showing %d-%d of %d agents; more with --offset %d, or --all\n", opts.Offset+1, shown, total, shown)
	}
	return nil
}

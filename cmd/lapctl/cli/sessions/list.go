package sessions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/spec"
)

// ListOptions are the inputs of `sessions list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Now    func() time.Time
	Caller cmdutil.Caller

	Agent  string
	JSON   bool
	Export output.Export
}

// NewCmdList builds `sessions list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client, Now: time.Now, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List sessions",
		Long:    "List sessions as a table, or as tab-separated rows (id, title, agent, harness, status, created) when piped.",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Agent, "agent", "a", "", "Only sessions of this agent (id, name or id prefix)")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "a JSON array of sessions")
	_ = cmd.RegisterFlagCompletionFunc("agent", cmdutil.CompleteAgents(f))
	return cmd
}

func listRun(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	agentID := ""
	if opts.Agent != "" {
		a, err := cmdutil.ResolveAgent(ctx, opts.Caller, c, opts.Agent)
		if err != nil {
			return err
		}
		agentID = a.ID
	}
	sessions, err := c.ListSessions(ctx, agentID)
	if err != nil {
		return err
	}
	if sessions, err = cmdutil.OwnSessions(ctx, opts.Caller, c, sessions); err != nil {
		return err
	}
	if opts.JSON {
		// The server's objects (tty tokens masked), filtered by agent here
		// where the server ignores the filter.
		out := make([]any, len(sessions))
		for i := range sessions {
			out[i] = sessionJSON(&sessions[i])
		}
		return opts.Export.Write(opts.IO.Out, out)
	}
	return output.List(opts.IO, false, nil, len(sessions), "No sessions found. Start one with: lapctl sessions create --agent NAME", func() error {
		return renderSessions(opts, sessions)
	})
}

func renderSessions(opts *ListOptions, sessions []spec.Session) error {
	now := opts.Now()
	t := output.NewTable(opts.IO,
		output.Column{Header: "ID"},
		output.Column{Header: "TITLE", Drop: 3, MinWidth: 10},
		output.Column{Header: "AGENT", Drop: 2, MinWidth: 10},
		output.Column{Header: "HARNESS", Drop: 4, MinWidth: 10},
		output.Column{Header: "STATUS", Color: statusColor},
		output.Column{Header: "CREATED", Drop: 5},
	)
	for i := range sessions {
		s := &sessions[i]
		agent := s.Agent
		if agent == "" {
			agent = s.AgentID
		}
		t.AddRow(s.ID, s.Title, agent, fmt.Sprintf("%s (%s)", s.Harness, strings.ToUpper(kind(s))), status(s), output.TimeCell(opts.IO, s.Time.Created, now))
	}
	return t.Render()
}

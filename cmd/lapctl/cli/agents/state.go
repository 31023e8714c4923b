package agents

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

// StateOptions are the inputs of `agents pause` and `agents resume`.
type StateOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller cmdutil.Caller

	Pause bool
	Refs  []string
	JSON  bool
}

// NewCmdPause builds `agents pause`.
func NewCmdPause(f *cmdutil.Factory, runF func(*StateOptions) error) *cobra.Command {
	return newStateCmd(f, runF, true)
}

// NewCmdResume builds `agents resume`.
func NewCmdResume(f *cmdutil.Factory, runF func(*StateOptions) error) *cobra.Command {
	return newStateCmd(f, runF, false)
}

func newStateCmd(f *cmdutil.Factory, runF func(*StateOptions) error, pause bool) *cobra.Command {
	opts := &StateOptions{IO: f.IOStreams, Client: f.Client, Pause: pause, Caller: f.Caller()}
	verb, short := "resume", "Resume paused agents"
	if pause {
		verb, short = "pause", "Pause agents"
	}
	cmd := &cobra.Command{
		Use:               verb + " <agent>...",
		Short:             short,
		Args:              cmdutil.MinimumArgs(1, "at least one agent id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteAgents(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Refs = args
			if runF != nil {
				return runF(opts)
			}
			return stateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `Print a JSON array of {"id","status"}`)
	return cmd
}

func stateRun(ctx context.Context, opts *StateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	agents, err := resolveAll(ctx, opts.Caller, c, opts.Refs)
	if err != nil {
		return err
	}
	results := []*spec.AgentStatus{}
	for _, a := range agents {
		var st *spec.AgentStatus
		if opts.Pause {
			st, err = c.PauseAgent(ctx, a.ID)
		} else {
			st, err = c.ResumeAgent(ctx, a.ID)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", label(a), err)
		}
		results = append(results, st)
		switch {
		case opts.JSON:
		case opts.IO.IsStdoutTTY():
			fmt.Fprintf(opts.IO.Out, "✓ Agent %s is %s\n", label(a), st.Status)
		default:
			fmt.Fprintf(opts.IO.Out, "%s\t%s\n", st.ID, st.Status)
		}
	}
	if opts.JSON {
		return output.WriteJSON(opts.IO.Out, results)
	}
	return nil
}

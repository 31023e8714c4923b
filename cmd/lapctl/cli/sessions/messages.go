package sessions

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/spec"
)

// MessagesOptions are the inputs of `sessions messages`.
type MessagesOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller cmdutil.Caller

	Ref    string
	JSON   bool
	Export output.Export
}

// NewCmdMessages builds `sessions messages`.
func NewCmdMessages(f *cmdutil.Factory, runF func(*MessagesOptions) error) *cobra.Command {
	opts := &MessagesOptions{IO: f.IOStreams, Client: f.Client, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:               "messages <session>",
		Aliases:           []string{"history", "log"},
		Short:             "Show a session's message history",
		Args:              cmdutil.ExactArgs(1, "a session id, title or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSessions(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(opts)
			}
			return messagesRun(cmd.Context(), opts)
		},
	}
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the messages")
	return cmd
}

func messagesRun(ctx context.Context, opts *MessagesOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := cmdutil.ResolveSession(ctx, opts.Caller, c, opts.Ref)
	if err != nil {
		return err
	}
	msgs, err := c.Messages(ctx, s.ID)
	if err != nil {
		return err
	}
	if msgs == nil {
		msgs = []spec.Message{}
	}
	if opts.JSON {
		return opts.Export.Write(opts.IO.Out, msgs)
	}
	if len(msgs) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "No messages in session %s yet.\n", label(s))
		return nil
	}
	return printMessages(opts.IO, msgs, false)
}

// printMessages prints each message as its role (bold) and its text,
// separated by blank lines; after is true when messages were printed
// before these, so a separating blank line comes first.
func printMessages(ios *iostreams.IOStreams, msgs []spec.Message, after bool) error {
	if len(msgs) == 0 {
		return nil
	}
	r := output.NewRenderer(ios)
	role := r.NewStyle().Bold(true)
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 || after {
			b.WriteByte('\n')
		}
		name := m.Info.Role
		if name == "" {
			name = "message"
		}
		b.WriteString(role.Render(name+":") + "\n")
		b.WriteString(strings.TrimRight(m.Text(), "\n") + "\n")
	}
	_, err := fmt.Fprint(r.Writer(ios.Out), b.String())
	return err
}

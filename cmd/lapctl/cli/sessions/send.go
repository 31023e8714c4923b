package sessions

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/spec"
)

// SendOptions are the inputs of `sessions send`.
type SendOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	f      *cmdutil.Factory

	Ref     string
	Message string
	Model   string
	JSON    bool
}

// NewCmdSend builds `sessions send`.
func NewCmdSend(f *cmdutil.Factory, runF func(*SendOptions) error) *cobra.Command {
	opts := &SendOptions{IO: f.IOStreams, Client: f.Client, f: f}
	cmd := &cobra.Command{
		Use:   "send <session> [message]",
		Short: "Send a message to an API-harness session and print the reply",
		Long: `Send a message to a session of an API harness and print the assistant's
reply. Without a message argument the message is read from stdin. The
reply may take minutes. --json prints the reply messages.`,
		Example: `  lapctl sessions send ses_12ab "Summarise the open issues"
  git diff | lapctl sessions send review-42`,
		Args:              cmdutil.RangeArgs(1, 2, "a session and, unless piped on stdin, a message (quote it)"),
		ValidArgsFunction: cmdutil.CompleteSessions(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if len(args) == 2 {
				opts.Message = args[1]
			} else {
				if opts.IO.IsStdinTTY() {
					return cmdutil.FlagErrorf("give the message as an argument, or pipe it on stdin")
				}
				data, err := io.ReadAll(io.LimitReader(opts.IO.In, cmdutil.MaxInputBytes))
				if err != nil {
					return fmt.Errorf("reading the message from stdin: %w", err)
				}
				opts.Message = string(data)
			}
			if runF != nil {
				return runF(opts)
			}
			return sendRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Model, "model", "m", "", "Model for this message")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "Print the reply messages as JSON")
	_ = cmd.RegisterFlagCompletionFunc("model", cmdutil.CompleteModels(f))
	return cmd
}

func sendRun(ctx context.Context, opts *SendOptions) error {
	if strings.TrimSpace(opts.Message) == "" {
		return spec.Errors{{Field: "parts", Rule: spec.RuleRequired, Message: "the message is empty: type something to send"}}
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := cmdutil.ResolveSession(ctx, opts.f, c, opts.Ref)
	if err != nil {
		return err
	}
	if kind(s) == spec.KindTUI {
		return cmdutil.FlagErrorf("session %s runs the TUI harness %s, which takes no messages: attach to it with lapctl attach %s", s.ID, s.Harness, s.ID)
	}
	reply, err := c.SendMessage(ctx, s.ID, opts.Message, opts.Model)
	if err != nil {
		return err
	}
	if opts.JSON {
		if reply == nil {
			reply = []spec.Message{}
		}
		return output.WriteJSON(opts.IO.Out, reply)
	}
	var texts []string
	for _, m := range reply {
		if m.Info.Role == "assistant" || m.Info.Role == "" {
			if t := m.Text(); t != "" {
				texts = append(texts, t)
			}
		}
	}
	text := strings.Join(texts, "\n\n")
	if text == "" {
		fmt.Fprintln(opts.IO.ErrOut, "(the assistant sent no text)")
		return nil
	}
	_, err = fmt.Fprintln(opts.IO.Out, strings.TrimRight(text, "\n"))
	return err
}

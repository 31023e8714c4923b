package sessions

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

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
	Caller cmdutil.Caller

	Ref     string
	Message string
	Model   string
	Timeout time.Duration
	JSON    bool
	Export  output.Export
}

// NewCmdSend builds `sessions send`.
func NewCmdSend(f *cmdutil.Factory, runF func(*SendOptions) error) *cobra.Command {
	opts := &SendOptions{IO: f.IOStreams, Client: f.Client, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:   "send <session> [message]",
		Short: "Send a message to an API-harness session and print the reply",
		Long: `Send a message to a session and print the assistant's reply. Without a
message argument the message is read from stdin. The reply may take
minutes; where the platform answers asynchronously (gateway) lapctl waits
for it, showing how long on a terminal, up to --timeout. A session with a
terminal takes no messages (exit 5): attach to it. --json prints the
reply messages.`,
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
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", client.DefaultMessageTimeout, "Give up waiting for the reply after this long")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the reply messages")
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
	s, err := cmdutil.ResolveSession(ctx, opts.Caller, c, opts.Ref)
	if err != nil {
		return err
	}
	if tty, _ := s.HasTTY(); tty {
		fmt.Fprintf(opts.IO.ErrOut, "error: session %s has a terminal and takes no messages: attach to it with lapctl attach %s\n", s.ID, s.ID)
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitConflict}
	}
	if opts.Timeout <= 0 {
		return cmdutil.FlagErrorf("--timeout must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if s, err = waitStarted(ctx, c, s); err != nil {
		return err
	}
	stop := progress(opts.IO, c.Capabilities().Messages == client.MessagesAsync, s.ID)
	reply, err := c.SendMessage(ctx, s.ID, opts.Message, opts.Model)
	stop()
	if err != nil {
		return err
	}
	if opts.JSON {
		if reply == nil {
			reply = []spec.Message{}
		}
		return opts.Export.Write(opts.IO.Out, reply)
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

// progress shows, on a terminal, how long lapctl has waited for a reply
// (one line, rewritten each second); the returned func clears it.
func progress(ios *iostreams.IOStreams, async bool, id string) func() {
	if !ios.IsStderrTTY() {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		what := "waiting for the reply"
		if async {
			what = "waiting for the asynchronous reply"
		}
		for {
			fmt.Fprintf(ios.ErrOut, "\r\x1b[K%s from %s… %s", what, id, time.Since(start).Round(time.Second))
			select {
			case <-done:
				fmt.Fprint(ios.ErrOut, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// StartPoll is how often send looks at a session that is still starting.
var StartPoll = 200 * time.Millisecond

// waitStarted waits (within ctx) for a starting session to come up: the
// managed platform answers 404 to messages until its session is ready.
func waitStarted(ctx context.Context, c *client.Client, s *spec.Session) (*spec.Session, error) {
	for s.Status == spec.SessionStarting && c.Platform() == client.PlatformManaged {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("session %s is still starting (phase %s): %w", s.ID, s.Phase, ctx.Err())
		case <-time.After(StartPoll):
		}
		next, err := c.GetSession(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		s = next
	}
	if c.Platform() == client.PlatformManaged && (s.Status == spec.SessionError || s.Status == spec.SessionExited) {
		reason := s.FailureReason
		if reason == "" {
			reason = s.Status
		}
		return nil, fmt.Errorf("session %s cannot take messages: %s", s.ID, reason)
	}
	return s, nil
}

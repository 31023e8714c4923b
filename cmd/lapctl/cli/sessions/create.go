package sessions

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/spec"
)

// CreateOptions are the inputs of `sessions create`.
type CreateOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	// Attach attaches the terminal to a new TUI session (--attach); nil
	// when this build has no attach command.
	Attach func(ctx context.Context, s *spec.Session) error
	Caller cmdutil.Caller

	Agent      string
	Title      string
	Prompt     string
	Env        []string
	Model      string
	Repository string
	Ref        string
	AttachNow  bool
	AllowDrop  bool
	JSON       bool
	Export     output.Export
}

// NewCmdCreate builds `sessions create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams, Client: f.Client, Attach: f.AttachSession, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:     "create --agent <agent>",
		Aliases: []string{"start", "new"},
		Short:   "Start a session of an agent",
		Long: `Start a session of an agent. For API harnesses, --prompt sends the first
message; for TUI harnesses, --attach attaches this terminal once it runs.
Session env vars (--env) override the agent's.`,
		Example: `  lapctl sessions create --agent reviewer --title "PR 42" --prompt "Review PR 42"
  lapctl sessions create --agent coder --attach`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Agent == "" {
				return cmdutil.FlagErrorf("--agent is required: name the agent to start (lapctl agents list)")
			}
			if opts.AttachNow && opts.JSON {
				return cmdutil.FlagErrorf("--attach and --json cannot be used together")
			}
			if opts.AttachNow && !opts.IO.CanPrompt() {
				return cmdutil.FlagErrorf("--attach needs a terminal")
			}
			if runF != nil {
				return runF(opts)
			}
			return createRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Agent, "agent", "a", "", "Agent id, name or id prefix (required)")
	fl.StringVarP(&opts.Title, "title", "t", "", "Session title")
	fl.StringVarP(&opts.Prompt, "prompt", "p", "", "First message (API harnesses)")
	fl.StringArrayVarP(&opts.Env, "env", "e", nil, "Env var KEY=VALUE for this session (repeatable)")
	fl.StringVarP(&opts.Model, "model", "m", "", "Model for this session")
	fl.StringVar(&opts.Repository, "repository", "", "Repository for this session")
	fl.StringVar(&opts.Ref, "ref", "", "Git ref for this session")
	fl.BoolVar(&opts.AttachNow, "attach", false, "Attach this terminal to the session (TUI harnesses)")
	fl.BoolVar(&opts.AllowDrop, "allow-drop", false, "Send what this platform does not keep anyway (--env, --model, --repository, --ref)")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the session")
	_ = cmd.RegisterFlagCompletionFunc("agent", cmdutil.CompleteAgents(f))
	_ = cmd.RegisterFlagCompletionFunc("model", cmdutil.CompleteModels(f))
	return cmd
}

func createRun(ctx context.Context, opts *CreateOptions) error {
	env, err := cmdutil.ParseKeyValues("--env", opts.Env)
	if err != nil {
		return err
	}
	body := &spec.SessionSpec{Title: opts.Title, Prompt: opts.Prompt, EnvVars: env}
	if opts.Model != "" || opts.Repository != "" || opts.Ref != "" {
		body.Environment = &spec.SessionEnvironment{Model: opts.Model, Repository: opts.Repository, Ref: opts.Ref}
	}
	// Check the env rules before looking the agent up: nothing is sent
	// for a bad key.
	if es := spec.ValidateEnvVars("env_vars", env); len(es) > 0 {
		return fmt.Errorf("invalid session: %w", es)
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	a, err := cmdutil.ResolveAgent(ctx, opts.Caller, c, opts.Agent)
	if err != nil {
		return err
	}
	body.AgentID = a.ID
	p := c.Platform()
	caps := client.CapabilitiesOf(p)
	var dropped []string
	if len(env) > 0 && !caps.SessionEnvVars {
		dropped = append(dropped, "--env")
	}
	if body.Environment != nil && !caps.SessionEnvironment {
		for flag, v := range map[string]string{"--model": opts.Model, "--repository": opts.Repository, "--ref": opts.Ref} {
			if v != "" {
				dropped = append(dropped, flag)
			}
		}
		slices.Sort(dropped)
	}
	if len(dropped) > 0 {
		if !opts.AllowDrop {
			return &client.DroppedFieldsError{Platform: p, Fields: dropped, Session: true}
		}
		fmt.Fprintf(opts.IO.ErrOut, "warning: the %s platform does not keep %s for a session: sending anyway (--allow-drop)\n", p, strings.Join(dropped, ", "))
	}
	if opts.AttachNow {
		if tty, known := caps.HarnessTTY(a.Harness); !caps.TTY || !(a.SupportsTUI || (known && tty)) {
			return &client.UnsupportedError{Platform: p, Capability: "terminal for sessions of agent " + a.Name,
				Hint: "its sessions take messages: use lapctl sessions send"}
		}
		if opts.Attach == nil {
			return fmt.Errorf("--attach: this build of lapctl has no attach command")
		}
	}
	s, err := c.CreateSession(ctx, body)
	if err != nil {
		return err
	}
	if opts.AttachNow && !opts.JSON {
		return opts.Attach(ctx, s)
	}
	next := fmt.Sprintf("  send a message: lapctl sessions send %s \"hello\"", s.ID)
	if kind(s) == spec.KindTUI {
		next = "  attach: lapctl attach " + s.ID
	}
	if opts.JSON {
		return opts.Export.Write(opts.IO.Out, sessionJSON(s))
	}
	head := fmt.Sprintf("✓ Started session %s of agent %s (%s)", s.ID, a.Name, status(s))
	if s.AgentID != "" && s.AgentID != a.ID {
		head = fmt.Sprintf("! Started session %s, but the server bound it to %s, not agent %s", s.ID, s.AgentID, a.Name)
	}
	return output.Report(opts.IO, false, nil, s.ID, head, next)
}

package sessions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
	"lapctl/secret"
	"lapctl/spec"
)

// GetOptions are the inputs of `sessions get`.
type GetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Caller cmdutil.Caller
	Now    func() time.Time

	Ref         string
	ShowSecrets bool
	JSON        bool
	Export      output.Export
}

// NewCmdGet builds `sessions get`.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{IO: f.IOStreams, Client: f.Client, Now: time.Now, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:               "get <session>",
		Aliases:           []string{"view", "show"},
		Short:             "Show a session",
		Long:              "Show a session's status, start-up phase and, for TUI harnesses, its tty URL (the token is masked unless --show-secrets).",
		Args:              cmdutil.ExactArgs(1, "a session id, title or id prefix"),
		ValidArgsFunction: cmdutil.CompleteSessions(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(opts)
			}
			return getRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ShowSecrets, "show-secrets", false, "Show the tty token in full")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the session")
	return cmd
}

func getRun(ctx context.Context, opts *GetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := cmdutil.ResolveSession(ctx, opts.Caller, c, opts.Ref)
	if err != nil {
		return err
	}
	if opts.JSON {
		opts.Export.ShowSecrets = opts.ShowSecrets
		return opts.Export.Write(opts.IO.Out, sessionJSON(s))
	}
	if !opts.ShowSecrets {
		s = masked(s)
	}
	return printSession(opts.IO, c, s, opts.Now())
}

func printSession(ios *iostreams.IOStreams, c *client.Client, s *spec.Session, now time.Time) error {
	d := output.NewDetail(ios)
	d.Add("ID", s.ID)
	d.Add("Title", s.Title)
	agent := s.AgentID
	switch {
	case s.AgentID == "":
		agent = "none (a harness session)" // the gateway's agent = a harness name
	case s.Agent != "" && s.Agent != s.AgentID:
		agent = s.Agent + " (" + s.AgentID + ")"
	}
	d.Add("Agent", agent)
	d.Add("Harness", strings.TrimSpace(s.Harness+" ("+kind(s)+")"))
	d.AddColor("Status", s.Status, statusColor(s.Status))
	d.Add("Phase", s.Phase)
	d.Add("Phase detail", s.PhaseDetail)
	d.Add("Failure", s.FailureReason)
	if s.ExitCode != nil {
		d.Add("Exit code", strconv.Itoa(*s.ExitCode))
	}
	if env := s.Environment; env != nil {
		d.Add("Model", env.Model)
		d.Add("Repository", secret.MaskURL(env.Repository))
		d.Add("Ref", env.Ref)
	}
	if s.TTYURL != "" {
		if u, err := c.TTYURL(s); err == nil {
			d.Add("TTY URL", u)
		} else {
			d.Add("TTY URL", s.TTYURL)
		}
		d.Add("TTY token", s.TTYToken)
	}
	d.Add("Created", output.When(ios, s.Time.Created, now))
	d.Add("Updated", output.When(ios, s.Time.Updated, now))
	return d.Render()
}

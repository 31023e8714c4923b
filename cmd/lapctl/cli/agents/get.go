package agents

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/human"
	"lapctl/iostreams"
	"lapctl/secret"
	"lapctl/spec"
)

// GetOptions are the inputs of `agents get`.
type GetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Now    func() time.Time
	Caller cmdutil.Caller

	Ref         string
	ShowSecrets bool
	JSON        bool
	Export      output.Export
}

// NewCmdGet builds `agents get`.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{IO: f.IOStreams, Client: f.Client, Now: time.Now, Caller: f.Caller()}
	cmd := &cobra.Command{
		Use:     "get <agent>",
		Aliases: []string{"view", "show"},
		Short:   "Show every field of an agent",
		Long: `Show every field of an agent. Env var values are masked unless
--show-secrets is given; sandbox files are listed without their content.`,
		Args:              cmdutil.ExactArgs(1, "an agent id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteAgents(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(opts)
			}
			return getRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ShowSecrets, "show-secrets", false, "Show env var values in full")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the agent")
	return cmd
}

func getRun(ctx context.Context, opts *GetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	a, err := resolveFull(ctx, opts.Caller, c, opts.Ref)
	if err != nil {
		return err
	}
	if opts.JSON {
		opts.Export.ShowSecrets = opts.ShowSecrets
		return opts.Export.Write(opts.IO.Out, agentJSON(a))
	}
	if !opts.ShowSecrets {
		a = masked(a)
	}
	return printAgent(opts.IO, a, opts.Now())
}

// resolveFull resolves ref to an agent with every field. Resolving by
// name or prefix lists agents, whose entries a hosted server may abridge;
// the single GET carries every field.
func resolveFull(ctx context.Context, who cmdutil.Caller, c *client.Client, ref string) (*spec.Agent, error) {
	a, err := cmdutil.ResolveAgent(ctx, who, c, ref)
	if err != nil || a.ID == ref {
		return a, err
	}
	return c.GetAgent(ctx, a.ID)
}

// printAgent shows every field of a as a detail view.
func printAgent(ios *iostreams.IOStreams, a *spec.Agent, now time.Time) error {
	d := output.NewDetail(ios)
	d.Add("Name", a.Name)
	d.Add("ID", a.ID)
	d.AddColor("Status", a.Status, statusColor(a.Status))
	d.Add("Owner", a.OwnerID)
	d.Add("Harness", harnessLabel(a))
	d.Add("Model", a.Model)
	d.Add("Runtime", a.Runtime)
	d.Add("Description", a.Description)
	d.Add("Sessions", strconv.Itoa(a.SessionCount))
	d.Add("Created", output.When(ios, a.CreatedAt, now))
	d.Add("Updated", output.When(ios, a.UpdatedAt, now))
	d.Add("Repository", a.RepoURL)
	d.Add("Branch", a.Branch)
	d.Add("MCP servers", strings.Join(a.MCPServers, ", "))
	d.Add("Allow out", strings.Join(a.AllowOut, ", "))
	d.Add("Deny out", strings.Join(a.DenyOut, ", "))
	d.Add("Skills", strings.Join(a.SkillIDs, ", "))
	d.Block("System prompt", a.System)
	d.Block("Prompt", a.Prompt)
	d.Block("Env vars", envLines(a.EnvVars))
	d.Block("Sandbox files", fileLines(a.SandboxFiles))
	d.Block("Requirements", a.Requirements)
	if len(a.Config) > 0 {
		d.Block("Config", maskedJSON(a.Config))
	}
	if len(a.Tools) > 0 && string(a.Tools) != "null" {
		d.Block("Tools", maskedJSON(a.Tools))
	}
	return d.Render()
}

func envLines(env map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(&b, "%s=%s\n", k, env[k])
	}
	return b.String()
}

func fileLines(files []spec.SandboxFile) string {
	var b strings.Builder
	for _, f := range files {
		ct := f.ContentType
		if ct == "" {
			ct = spec.DefaultContentType
		}
		fmt.Fprintf(&b, "%s  (%s, %s)\n", f.SandboxPath, ct, human.Bytes(f.Size))
	}
	return b.String()
}

// maskedJSON shows config or tools indented, with secret-looking fields
// (token, api_key...) masked, since operators paste credentials there.
func maskedJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, secret.MaskJSON(data), "", "  "); err != nil {
		return string(data)
	}
	return b.String()
}

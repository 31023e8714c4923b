package agents

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/secret"
	"lapctl/spec"
)

// CreateOptions are the inputs of `agents create`.
type CreateOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*client.Client, error)
	Endpoint func() (config.Endpoint, error)
	Caller   cmdutil.Caller
	Builder  Builder

	Spec      SpecFlags
	FromFile  string
	DryRun    bool
	AllowDrop bool
	// AllowDuplicateName creates the agent even when another has its name.
	AllowDuplicateName bool
	JSON               bool
	Export             output.Export
	// Interactive opens the agent builder: a terminal, and neither field
	// flags nor a spec file.
	Interactive bool
}

// NewCmdCreate builds `agents create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams, Client: f.Client, Endpoint: f.Endpoint, Caller: f.Caller(), Builder: NewBuilder(f)}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create an agent",
		Long: `Create an agent from flags, from a spec file (-f agent.yaml or .json), or
both: flags override the file's fields (env vars and files are merged by
key and sandbox path; lists are replaced).

The agent is checked with the platform's rules before anything is sent; a
broken rule names the field and the rule. --dry-run also checks the
harness, model and skills against the server's lists (read-only calls),
then stops and prints the request (env values masked). A name another
agent has is asked about on a terminal; scripts pass --allow-duplicate-name.

On a terminal with no field flags and no -f, the interactive builder opens.
The owner defaults to the config's owner_id, the model to its
default_model.`,
		Example: `  lapctl agents create --name reviewer --harness claude-code \
    --model anthropic/claude-sonnet-4-6 --system-file prompt.md \
    --repo-url https://github.com/acme/app --env GITHUB_TOKEN=$GH_TOKEN \
    --file ./CONTRIBUTING.md:~/CONTRIBUTING.md --skill code-review
  lapctl agents create -f agent.yaml --name copy --dry-run`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Spec.capture(cmd); err != nil {
				return err
			}
			opts.Interactive = opts.IO.CanPrompt() && !opts.Spec.Any() && opts.FromFile == ""
			if !opts.Interactive && !opts.Spec.Any() && opts.FromFile == "" {
				return cmdutil.FlagErrorf("not a terminal, so the interactive builder cannot open: give the agent as flags (at least --name) or with -f FILE")
			}
			if runF != nil {
				return runF(opts)
			}
			return createRun(cmd.Context(), opts)
		},
	}
	opts.Spec.register(cmd, f, false)
	cmd.Flags().StringVarP(&opts.FromFile, "from-file", "f", "", "Read a whole agent spec from a YAML or JSON file (- for stdin)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "Validate and print the request without sending it")
	cmd.Flags().BoolVar(&opts.AllowDuplicateName, "allow-duplicate-name", false, "Create the agent even if another agent has the same name (asked on a terminal)")
	cmd.Flags().BoolVar(&opts.AllowDrop, "allow-drop", false, "Send fields this platform does not store anyway (they are reported, not kept)")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the created agent")
	return cmd
}

func createRun(ctx context.Context, opts *CreateOptions) error {
	ep, err := opts.Endpoint()
	if err != nil {
		return err
	}
	if opts.Interactive {
		return createInteractive(ctx, opts, ep)
	}
	s, err := opts.buildSpec(ep)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("invalid agent: %w", err)
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.DryRun {
		if err := checkAgainstServer(ctx, opts.Caller, c, s); err != nil {
			return err
		}
		return printDryRun(opts.IO, s)
	}
	if err := checkDuplicateName(ctx, opts.Caller, c, s.Name, opts.AllowDuplicateName); err != nil {
		return err
	}
	caps, err := detect(ctx, c)
	if err != nil {
		return err
	}
	if caps.OwnerFromKey && opts.Caller.Identity == "" && s.OwnerID == ep.OwnerID {
		s.OwnerID = "" // the server takes the owner from the key
	}
	if err := refuseUnstored(ctx, opts.IO, c, caps.Unstored(s), false, opts.AllowDrop); err != nil {
		return err
	}
	if s.SkillIDs, err = resolveSkills(ctx, opts.Caller, c, s.SkillIDs); err != nil {
		return err
	}
	a, err := c.CreateAgent(ctx, s)
	if err != nil {
		return err
	}
	losses := client.CompareCreate(s, a)
	warnLosses(opts.IO, c.Platform(), losses)
	return printSaved(opts.IO, a, "Created", &opts.Export, losses)
}

// buildSpec merges the spec file, the flags and the defaults.
func (opts *CreateOptions) buildSpec(ep config.Endpoint) (*spec.AgentSpec, error) {
	s := &spec.AgentSpec{}
	if opts.FromFile != "" {
		if err := decodeSpecFile(opts.Caller, opts.FromFile, s); err != nil {
			return nil, err
		}
	}
	p, err := opts.Spec.Patch(opts.Caller)
	if err != nil {
		return nil, err
	}
	applyPatch(s, p)
	s.OwnerID = opts.Caller.Owner(s.OwnerID, ep.OwnerID)
	if s.Model == "" {
		s.Model = ep.DefaultModel
	}
	s.Normalize()
	return s, nil
}

// printDryRun prints the request body (a spec or a patch) as it would be
// sent, env values masked and file content shortened.
func printDryRun(ios *iostreams.IOStreams, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, secret.MaskJSON(data), "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	if _, err := ios.Out.Write(b.Bytes()); err != nil {
		return err
	}
	fmt.Fprintln(ios.ErrOut, "dry run: the agent is valid; nothing was sent (env values masked, file content shortened; skill names are resolved when sending)")
	return nil
}

// printSaved reports a created or updated agent: the server's object
// with --json, a confirmation on a terminal (✓ only when every field
// sent was kept), the bare id for scripts.
func printSaved(ios *iostreams.IOStreams, a *spec.Agent, verb string, e *output.Export, losses []client.FieldLoss) error {
	if e != nil && e.Enabled {
		return e.Write(ios.Out, agentJSON(a))
	}
	head := fmt.Sprintf("✓ %s agent %s", verb, label(a))
	if len(losses) > 0 {
		fields := make([]string, 0, len(losses))
		for _, l := range losses {
			fields = append(fields, l.Field)
		}
		head = fmt.Sprintf("! %s agent %s, but the server did not keep: %s", verb, label(a), strings.Join(fields, ", "))
	}
	return output.Report(ios, false, nil, a.ID, head, "  start a session: lapctl sessions create --agent "+a.ID)
}

// agentJSON is what --json prints for an agent: the server's object.
func agentJSON(a *spec.Agent) any {
	if len(a.Raw) > 0 {
		return a.Raw
	}
	return a
}

// resolveSkills turns skill names or id prefixes into ids, keeping order.
func resolveSkills(ctx context.Context, who cmdutil.Caller, c *client.Client, refs []string) ([]string, error) {
	if len(refs) == 0 {
		return refs, nil
	}
	if p, _ := c.Detect(ctx); p != client.PlatformUnknown && !client.CapabilitiesOf(p).Skills {
		// No skills endpoint to look names up in (managed): the refs go
		// as ids, and the server checks them.
		return refs, nil
	}
	ids := make([]string, 0, len(refs))
	for _, ref := range refs {
		sk, err := cmdutil.ResolveSkill(ctx, who, c, ref, false)
		if err != nil {
			return nil, fmt.Errorf("--skill %s: %w", ref, err)
		}
		ids = append(ids, sk.ID)
	}
	return ids, nil
}

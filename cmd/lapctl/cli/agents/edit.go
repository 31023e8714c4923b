package agents

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/spec"
)

// EditOptions are the inputs of `agents edit`.
type EditOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*client.Client, error)
	Endpoint func() (config.Endpoint, error)
	Caller   cmdutil.Caller
	Builder  Builder

	Ref       string
	Spec      SpecFlags
	FromFile  string
	AddEnv    []string
	RmEnv     []string
	AddFile   []string
	RmFile    []string
	AddSkill  []string
	RmSkill   []string
	DryRun    bool
	AllowDrop bool
	JSON      bool
	Export    output.Export
	// Interactive opens the builder on the agent: a terminal and no flags.
	Interactive bool
}

// NewCmdEdit builds `agents edit`.
func NewCmdEdit(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	opts := &EditOptions{IO: f.IOStreams, Client: f.Client, Endpoint: f.Endpoint, Caller: f.Caller(), Builder: NewBuilder(f)}
	cmd := &cobra.Command{
		Use:   "edit <agent>",
		Short: "Change an agent",
		Long: `Change the fields given as flags, and only those (a PATCH). The field
flags are create's; --env, --file and --skill replace the whole list, while
--add-env/--rm-env, --add-file/--rm-file and --add-skill/--rm-skill change
single entries and keep the rest. -f applies the fields of a spec file.

On a terminal with no flags, the interactive builder opens on the agent.`,
		Example: `  lapctl agents edit reviewer --model anthropic/claude-opus-4-5
  lapctl agents edit reviewer --add-env DEBUG=1 --rm-env OLD_TOKEN
  lapctl agents edit reviewer --add-file ./notes.md:~/notes.md --rm-skill old-skill`,
		Args:              cmdutil.ExactArgs(1, "an agent id, name or id prefix"),
		ValidArgsFunction: cmdutil.CompleteAgents(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if err := opts.Spec.capture(cmd); err != nil {
				return err
			}
			opts.Interactive = opts.IO.CanPrompt() && !opts.Spec.Any() && opts.FromFile == "" && !opts.entryFlags()
			if !opts.Interactive && !opts.Spec.Any() && opts.FromFile == "" && !opts.entryFlags() {
				return cmdutil.FlagErrorf("nothing to change: give the fields to change as flags (see lapctl agents edit --help)")
			}
			if runF != nil {
				return runF(opts)
			}
			return editRun(cmd.Context(), opts)
		},
	}
	opts.Spec.register(cmd, f, true)
	fl := cmd.Flags()
	fl.StringVarP(&opts.FromFile, "from-file", "f", "", "Apply the fields of a YAML or JSON spec file (- for stdin)")
	fl.StringArrayVar(&opts.AddEnv, "add-env", nil, "Add or change an env var KEY=VALUE (repeatable)")
	fl.StringArrayVar(&opts.RmEnv, "rm-env", nil, "Remove an env var by KEY (repeatable)")
	fl.StringArrayVar(&opts.AddFile, "add-file", nil, "Add or replace a sandbox file LOCAL:SANDBOX_PATH (repeatable)")
	fl.StringArrayVar(&opts.RmFile, "rm-file", nil, "Remove the sandbox file at SANDBOX_PATH (repeatable)")
	fl.StringArrayVar(&opts.AddSkill, "add-skill", nil, "Add a skill by id or name (repeatable)")
	fl.StringArrayVar(&opts.RmSkill, "rm-skill", nil, "Remove a skill by id or name (repeatable)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "Validate and print the change without sending it")
	fl.BoolVar(&opts.AllowDrop, "allow-drop", false, "Send fields this platform does not store anyway (they are reported, not kept)")
	output.AddJSONFlags(cmd, &opts.Export, &opts.JSON, "the updated agent")
	for _, name := range []string{"add-skill", "rm-skill"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cmdutil.CompleteSkills(f))
	}
	return cmd
}

func (opts *EditOptions) entryFlags() bool {
	return len(opts.AddEnv)+len(opts.RmEnv)+len(opts.AddFile)+len(opts.RmFile)+len(opts.AddSkill)+len(opts.RmSkill) > 0
}

func editRun(ctx context.Context, opts *EditOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	// Entry edits need every field.
	a, err := resolveFull(ctx, opts.Caller, c, opts.Ref)
	if err != nil {
		return err
	}
	if opts.Interactive {
		ep, err := opts.Endpoint()
		if err != nil {
			return err
		}
		return editInteractive(ctx, opts, ep, c, a)
	}
	p, err := opts.buildPatch(ctx, c, a)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("invalid change: %w", err)
	}
	if opts.DryRun {
		return printDryRun(opts.IO, p)
	}
	caps, err := detect(ctx, c)
	if err != nil {
		return err
	}
	if err := refuseUnstored(ctx, opts.IO, c, caps.UnstoredPatch(p), true, opts.AllowDrop); err != nil {
		return err
	}
	updated, err := c.UpdateAgent(ctx, a.ID, p)
	if err != nil {
		return err
	}
	losses := client.ComparePatch(p, updated)
	warnLosses(opts.IO, c.Platform(), losses)
	return printSaved(opts.IO, updated, "Updated", &opts.Export, losses)
}

// buildPatch lays the flags over the spec file, then applies the entry
// edits to the agent's current env vars, files and skills.
func (opts *EditOptions) buildPatch(ctx context.Context, c *client.Client, a *spec.Agent) (*spec.AgentPatch, error) {
	p := &spec.AgentPatch{}
	if opts.FromFile != "" {
		if err := decodeSpecFile(opts.Caller, opts.FromFile, p); err != nil {
			return nil, err
		}
	}
	flags, err := opts.Spec.Patch(opts.Caller)
	if err != nil {
		return nil, err
	}
	overlay(p, flags)
	if p.OwnerID != nil && opts.Caller.Identity != "" && *p.OwnerID != opts.Caller.Identity {
		return nil, cmdutil.FlagErrorf("--owner: you act as owner %s and cannot hand agents to another owner", opts.Caller.Identity)
	}
	if err := opts.editEnv(p, a); err != nil {
		return nil, err
	}
	if err := opts.editFiles(p, a); err != nil {
		return nil, err
	}
	if err := opts.editSkills(ctx, c, p, a); err != nil {
		return nil, err
	}
	if reflect.ValueOf(*p).IsZero() {
		return nil, cmdutil.FlagErrorf("nothing to change: the flags and file set no field")
	}
	return p, nil
}

// overlay copies every field src sets onto dst; env vars and files are
// merged, so flags add to a spec file's.
func overlay(dst, src *spec.AgentPatch) {
	if dst.EnvVars != nil && src.EnvVars != nil {
		merged := maps.Clone(*dst.EnvVars)
		maps.Copy(merged, *src.EnvVars)
		src.EnvVars = &merged
	}
	if dst.SandboxFiles != nil && src.SandboxFiles != nil {
		merged := mergeFiles(*dst.SandboxFiles, *src.SandboxFiles)
		src.SandboxFiles = &merged
	}
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := range s.NumField() {
		if !s.Field(i).IsNil() {
			d.Field(i).Set(s.Field(i))
		}
	}
}

func (opts *EditOptions) editEnv(p *spec.AgentPatch, a *spec.Agent) error {
	if len(opts.AddEnv)+len(opts.RmEnv) == 0 {
		return nil
	}
	env := maps.Clone(a.EnvVars)
	if p.EnvVars != nil {
		env = maps.Clone(*p.EnvVars)
	}
	if env == nil {
		env = map[string]string{}
	}
	add, err := cmdutil.ParseKeyValues("--add-env", opts.AddEnv)
	if err != nil {
		return err
	}
	maps.Copy(env, add)
	for _, k := range opts.RmEnv {
		if _, ok := env[k]; !ok {
			return cmdutil.FlagErrorf("--rm-env %s: agent %s has no env var %s", k, label(a), k)
		}
		delete(env, k)
	}
	p.EnvVars = &env
	return nil
}

func (opts *EditOptions) editFiles(p *spec.AgentPatch, a *spec.Agent) error {
	if len(opts.AddFile)+len(opts.RmFile) == 0 {
		return nil
	}
	var files []spec.SandboxFile
	if p.SandboxFiles != nil {
		files = *p.SandboxFiles
	} else {
		// Stored files go back without content, which keeps them as they are.
		for _, f := range a.SandboxFiles {
			f.Content = ""
			files = append(files, f)
		}
	}
	for _, path := range opts.RmFile {
		i := slices.IndexFunc(files, func(f spec.SandboxFile) bool { return f.SandboxPath == path })
		if i < 0 {
			return cmdutil.FlagErrorf("--rm-file %s: agent %s has no file at that sandbox path", path, label(a))
		}
		files = slices.Delete(files, i, i+1)
	}
	have := 0
	for _, f := range files {
		if f.Content != "" {
			have += len(f.Content)
		} else {
			have += base64.StdEncoding.EncodedLen(int(max(f.Size, 0)))
		}
	}
	added, err := loadFiles(opts.Caller, "--add-file", opts.AddFile, len(files), have)
	if err != nil {
		return err
	}
	files = mergeFiles(files, added) // never nil: null would mean "unchanged"
	p.SandboxFiles = &files
	return nil
}

func (opts *EditOptions) editSkills(ctx context.Context, c *client.Client, p *spec.AgentPatch, a *spec.Agent) error {
	if p.SkillIDs == nil && len(opts.AddSkill)+len(opts.RmSkill) == 0 {
		return nil
	}
	ids := slices.Clone(a.SkillIDs)
	if p.SkillIDs != nil {
		var err error
		if ids, err = resolveSkills(ctx, opts.Caller, c, *p.SkillIDs); err != nil {
			return err
		}
	}
	add, err := resolveSkills(ctx, opts.Caller, c, opts.AddSkill)
	if err != nil {
		return err
	}
	for _, id := range add {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	rm, err := resolveSkills(ctx, opts.Caller, c, opts.RmSkill)
	if err != nil {
		return err
	}
	for i, id := range rm {
		if !slices.Contains(ids, id) {
			return cmdutil.FlagErrorf("--rm-skill %s: agent %s does not use skill %s", opts.RmSkill[i], label(a), id)
		}
		ids = slices.DeleteFunc(ids, func(s string) bool { return s == id })
	}
	if ids == nil {
		ids = []string{}
	}
	p.SkillIDs = &ids
	return nil
}

package agents

import (
	"encoding/json"
	"maps"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// SpecFlags are the agent's fields as flags, shared by create and edit.
// Changed records which were given, since an empty value ("--system ”")
// is a real value on edit.
type SpecFlags struct {
	Name             string
	Owner            string
	Model            string
	System           string
	SystemFile       string
	Prompt           string
	Description      string
	Runtime          string
	Harness          string
	Config           string
	Tools            string
	Requirements     string
	RequirementsFile string
	RepoURL          string
	Branch           string
	MCP              []string
	AllowOut         []string
	DenyOut          []string
	Env              []string
	EnvFile          string
	Skills           []string
	Files            []string

	Changed map[string]bool
}

// specFlagNames are every flag SpecFlags registers.
var specFlagNames = []string{
	"name", "owner", "model", "system", "system-file", "prompt", "description",
	"runtime", "harness", "config", "tools", "requirements", "requirements-file",
	"repo-url", "branch", "mcp", "allow-out", "deny-out", "env", "env-file", "skill", "file",
}

// register adds the flags to cmd; onEdit words the list flags as replacing.
func (s *SpecFlags) register(cmd *cobra.Command, f *cmdutil.Factory, onEdit bool) {
	fl := cmd.Flags()
	fl.StringVarP(&s.Name, "name", "n", "", "Agent name")
	fl.StringVar(&s.Owner, "owner", "", "Owner id (default: the config's owner_id)")
	fl.StringVarP(&s.Model, "model", "m", "", "LiteLLM model, e.g. anthropic/claude-sonnet-4-6 (default: the config's default_model)")
	fl.StringVar(&s.System, "system", "", "System prompt")
	fl.StringVar(&s.SystemFile, "system-file", "", "Read the system prompt from a file (- for stdin)")
	fl.StringVar(&s.Prompt, "prompt", "", "Fallback system prompt, used when --system is not set")
	fl.StringVar(&s.Description, "description", "", "Description")
	fl.StringVar(&s.Runtime, "runtime", "", "Runtime id (lapctl runtimes lists them)")
	fl.StringVar(&s.Harness, "harness", "", "Harness id or registered alias (lapctl harnesses lists them)")
	fl.StringVar(&s.Config, "config", "", "Config as a JSON object")
	fl.StringVar(&s.Tools, "tools", "", "Tools as a JSON array or object")
	fl.StringVar(&s.Requirements, "requirements", "", "pip requirements.txt content")
	fl.StringVar(&s.RequirementsFile, "requirements-file", "", "Read pip requirements from a file (- for stdin)")
	fl.StringVar(&s.RepoURL, "repo-url", "", "Git repository to clone (https or ssh URL)")
	fl.StringVar(&s.Branch, "branch", "", "Branch to check out (default main)")
	fl.StringSliceVar(&s.MCP, "mcp", nil, "MCP server (repeatable, or comma-separated)")
	fl.StringSliceVar(&s.AllowOut, "allow-out", nil, "Allowed outbound domain (repeatable, or comma-separated)")
	fl.StringSliceVar(&s.DenyOut, "deny-out", nil, "Blocked outbound domain (repeatable, or comma-separated)")
	replace := ""
	if onEdit {
		replace = "; replaces them all (see --add-env)"
	}
	fl.StringArrayVarP(&s.Env, "env", "e", nil, "Env var KEY=VALUE (repeatable)"+replace)
	fl.StringVar(&s.EnvFile, "env-file", "", "Read env vars from a .env file (- for stdin)")
	fl.StringArrayVar(&s.Skills, "skill", nil, "Skill id or name (repeatable)"+strings.Replace(replace, "--add-env", "--add-skill", 1))
	fl.StringArrayVar(&s.Files, "file", nil, "Sandbox file LOCAL:SANDBOX_PATH, e.g. ./notes.md:~/notes.md (repeatable)"+strings.Replace(replace, "--add-env", "--add-file", 1))
	for flag, fn := range map[string]cobra.CompletionFunc{
		"harness": cmdutil.CompleteHarnesses(f),
		"model":   cmdutil.CompleteModels(f),
		"skill":   cmdutil.CompleteSkills(f),
	} {
		_ = cmd.RegisterFlagCompletionFunc(flag, fn)
	}
}

// capture records which flags were given and checks the pairs that
// cannot go together.
func (s *SpecFlags) capture(cmd *cobra.Command) error {
	s.Changed = map[string]bool{}
	for _, name := range specFlagNames {
		if cmd.Flags().Changed(name) {
			s.Changed[name] = true
		}
	}
	for _, pair := range [][2]string{{"system", "system-file"}, {"requirements", "requirements-file"}} {
		if s.Changed[pair[0]] && s.Changed[pair[1]] {
			return cmdutil.FlagErrorf("--%s and --%s cannot be used together", pair[0], pair[1])
		}
	}
	stdin := 0
	for _, name := range []string{"system-file", "requirements-file", "env-file"} {
		if s.Changed[name] && s.value(name) == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return cmdutil.FlagErrorf("only one of --system-file, --requirements-file and --env-file can read stdin (-)")
	}
	return nil
}

func (s *SpecFlags) value(name string) string {
	switch name {
	case "system-file":
		return s.SystemFile
	case "requirements-file":
		return s.RequirementsFile
	case "env-file":
		return s.EnvFile
	}
	return ""
}

// Any reports whether any field flag was given.
func (s *SpecFlags) Any() bool { return len(s.Changed) > 0 }

// Patch turns the given flags into a patch: reading the files they name,
// parsing JSON and KEY=VALUE lists. Skill references are left as given
// (ids or names) for the caller to resolve.
func (s *SpecFlags) Patch(who cmdutil.Caller) (*spec.AgentPatch, error) {
	p := &spec.AgentPatch{}
	str := func(flag string, v string, dst **string) {
		if s.Changed[flag] {
			*dst = &v
		}
	}
	str("name", s.Name, &p.Name)
	str("owner", s.Owner, &p.OwnerID)
	str("model", s.Model, &p.Model)
	str("system", s.System, &p.System)
	str("prompt", s.Prompt, &p.Prompt)
	str("description", s.Description, &p.Description)
	str("runtime", s.Runtime, &p.Runtime)
	str("harness", s.Harness, &p.Harness)
	str("requirements", s.Requirements, &p.Requirements)
	str("repo-url", s.RepoURL, &p.RepoURL)
	str("branch", s.Branch, &p.Branch)
	for flag, dst := range map[string]**string{"system-file": &p.System, "requirements-file": &p.Requirements} {
		if s.Changed[flag] {
			data, err := cmdutil.ReadInput(who, "--"+flag, s.value(flag))
			if err != nil {
				return nil, err
			}
			v := string(data)
			*dst = &v
		}
	}
	list := func(flag string, v []string, dst **[]string) {
		if s.Changed[flag] {
			v = append([]string{}, v...)
			*dst = &v
		}
	}
	list("mcp", s.MCP, &p.MCPServers)
	list("allow-out", s.AllowOut, &p.AllowOut)
	list("deny-out", s.DenyOut, &p.DenyOut)
	list("skill", s.Skills, &p.SkillIDs)
	if s.Changed["config"] {
		var cfg map[string]any
		if err := json.Unmarshal([]byte(s.Config), &cfg); err != nil || cfg == nil {
			return nil, spec.Errors{{Field: "config", Rule: spec.RuleType, Message: "--config must be a JSON object, e.g. '{\"temperature\":0.2}'"}}
		}
		p.Config = &cfg
	}
	if s.Changed["tools"] {
		if !json.Valid([]byte(s.Tools)) {
			return nil, spec.Errors{{Field: "tools", Rule: spec.RuleType, Message: "--tools must be valid JSON: an array or an object"}}
		}
		raw := json.RawMessage(s.Tools)
		p.Tools = &raw
	}
	if s.Changed["env"] || s.Changed["env-file"] {
		env, err := s.envVars(who)
		if err != nil {
			return nil, err
		}
		p.EnvVars = &env
	}
	if s.Changed["file"] {
		files, err := loadFiles(who, "--file", s.Files, 0, 0)
		if err != nil {
			return nil, err
		}
		p.SandboxFiles = &files
	}
	return p, nil
}

// envVars merges --env-file and then --env, so a flag beats the file.
func (s *SpecFlags) envVars(who cmdutil.Caller) (map[string]string, error) {
	env := map[string]string{}
	if s.Changed["env-file"] {
		data, err := cmdutil.ReadInput(who, "--env-file", s.EnvFile)
		if err != nil {
			return nil, err
		}
		fromFile, err := cmdutil.ParseEnvFile(s.EnvFile, data)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--env-file %w", err)
		}
		maps.Copy(env, fromFile)
	}
	fromFlags, err := cmdutil.ParseKeyValues("--env", s.Env)
	if err != nil {
		return nil, err
	}
	maps.Copy(env, fromFlags)
	return env, nil
}

// applyPatch lays p over s, as flags over a -f file: like a PATCH
// (spec.AgentSpec.Apply), except that env vars merge by key and files by
// sandbox path instead of replacing the file's whole map and list.
func applyPatch(s *spec.AgentSpec, p *spec.AgentPatch) {
	merged := *p
	if p.EnvVars != nil {
		env := maps.Clone(s.EnvVars)
		if env == nil {
			env = map[string]string{}
		}
		maps.Copy(env, *p.EnvVars)
		merged.EnvVars = &env
	}
	if p.SandboxFiles != nil {
		files := mergeFiles(s.SandboxFiles, *p.SandboxFiles)
		merged.SandboxFiles = &files
	}
	s.Apply(&merged)
}

// mergeFiles replaces files of base by sandbox path and appends the rest.
func mergeFiles(base, add []spec.SandboxFile) []spec.SandboxFile {
	out := append([]spec.SandboxFile{}, base...)
	for _, f := range add {
		replaced := false
		for i := range out {
			if out[i].SandboxPath == f.SandboxPath {
				out[i], replaced = f, true
				break
			}
		}
		if !replaced {
			out = append(out, f)
		}
	}
	return out
}

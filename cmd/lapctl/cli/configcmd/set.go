package configcmd

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/assets"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/ptyattach"
)

// SetOptions are the inputs of `config set`.
type SetOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)

	ContextName string
	Key         string
	Value       string
}

// setting is one key `config set` accepts.
type setting struct {
	help string
	// context settings belong to a context; the others to the whole file.
	context bool
	apply   func(cfg *config.Config, ctx *config.Context, v string) error
}

var settings = map[string]setting{
	"base_url": {"the context's server URL", true, func(_ *config.Config, c *config.Context, v string) error {
		if _, err := config.ParseBaseURL(v); err != nil {
			return err
		}
		c.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	"owner_id": {"the context's default owner id", true, func(_ *config.Config, c *config.Context, v string) error {
		c.OwnerID = v
		return nil
	}},
	"default_model": {"the context's default model for new agents", true, func(_ *config.Config, c *config.Context, v string) error {
		c.DefaultModel = v
		return nil
	}},
	"platform": {"the context's API dialect: lapctl, gateway, managed, or auto (learn it from the server)", true, func(_ *config.Config, c *config.Context, v string) error {
		switch v {
		case "auto", "":
			c.Platform = ""
		case "lapctl", "gateway", "managed":
			c.Platform = v
		default:
			return fmt.Errorf("unknown platform %q: use lapctl, gateway, managed or auto", v)
		}
		return nil
	}},
	"detach_keys": {"keys that detach from a session, e.g. ctrl-p,ctrl-q (empty: ctrl-])", false, func(cfg *config.Config, _ *config.Context, v string) error {
		if _, err := ptyattach.ParseDetachKeys(v); err != nil {
			return err
		}
		cfg.DetachKeys = v
		return nil
	}},
	"read_only": {"true hides every destructive console action", false, func(cfg *config.Config, _ *config.Context, v string) error {
		b, err := parseBool(v)
		cfg.ReadOnly = b
		return err
	}},
	"accessible": {"true runs forms in screen-reader mode", false, func(cfg *config.Config, _ *config.Context, v string) error {
		b, err := parseBool(v)
		cfg.Accessible = b
		return err
	}},
	"theme": {"the console theme: " + strings.Join(assets.ThemeNames(), ", "), false, func(cfg *config.Config, _ *config.Context, v string) error {
		if v != "" {
			if _, err := assets.Theme(v); err != nil {
				return fmt.Errorf("unknown theme %q: pick one of %s", v, strings.Join(assets.ThemeNames(), ", "))
			}
		}
		cfg.Theme = v
		return nil
	}},
}

// NewCmdSet builds `config set`.
func NewCmdSet(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{IO: f.IOStreams, Config: f.Config}
	keys := slices.Sorted(maps.Keys(settings))
	var help strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&help, "  %-14s %s\n", k, settings[k].help)
	}
	cmd := &cobra.Command{
		Use:   "set <key> <value>",
		Short: "Change a setting",
		Long: "Change a setting. Context settings apply to the current context, or to\n" +
			"--context NAME (created if missing). The master key is set with lapctl login.\n\nKeys:\n" + help.String(),
		Example: `  lapctl config set detach_keys ctrl-p,ctrl-q
  lapctl config set owner_id alice --context hosted`,
		Args: cmdutil.ExactArgs(2, "a key and a value (\"\" to clear)"),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return keys, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key, opts.Value, opts.ContextName = args[0], args[1], f.Overrides.Context
			if opts.Key == "master_key" || opts.Key == "api_key" {
				return cmdutil.FlagErrorf("the master key is not set here (it would land in shell history): use lapctl login")
			}
			if _, ok := settings[opts.Key]; !ok {
				return cmdutil.FlagErrorf("unknown setting %q: use one of %s", opts.Key, strings.Join(keys, ", "))
			}
			if runF != nil {
				return runF(opts)
			}
			return setRun(opts)
		},
	}
	return cmd
}

func setRun(opts *SetOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	s := settings[opts.Key]
	var ctx *config.Context
	name := ""
	if s.context {
		name = opts.ContextName
		if name == "" {
			name = cfg.CurrentContext
		}
		if name == "" {
			name = config.DefaultContextName
		}
		if ctx = cfg.Context(name); ctx == nil {
			ctx = &config.Context{}
			cfg.SetContext(name, ctx)
			if cfg.CurrentContext == "" {
				cfg.CurrentContext = name
			}
		}
	}
	if err := s.apply(cfg, ctx, opts.Value); err != nil {
		return cmdutil.FlagErrorf("%s: %v", opts.Key, err)
	}
	if err := cfg.Save(); err != nil {
		return err
	}
	where := ""
	if name != "" {
		where = fmt.Sprintf(" in context %q", name)
	}
	fmt.Fprintf(opts.IO.Out, "✓ Set %s to %q%s\n", opts.Key, opts.Value, where)
	return nil
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

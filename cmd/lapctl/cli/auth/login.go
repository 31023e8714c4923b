// Package auth is `lapctl login` and `lapctl logout`: storing and removing
// a context's server and master key in the config file.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
)

// verifyTimeout bounds login's two checks against the server.
const verifyTimeout = 15 * time.Second

// LoginOptions are the inputs of `login`.
type LoginOptions struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.Config, error)
	Prompter  func() cmdutil.Prompter
	ClientFor func(config.Endpoint) (*client.Client, error)

	ContextName string
	BaseURL     string
	APIKeyStdin bool
	Owner       string
	Model       string
	NoVerify    bool
	// Interactive prompts for what the flags leave out: a terminal and no
	// --api-key-stdin (stdin then carries the key, not answers).
	Interactive bool
}

// NewCmdLogin builds `login`.
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{IO: f.IOStreams, Config: f.Config, Prompter: f.Prompt, ClientFor: f.ClientFor}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Store a server and its master key in the config",
		Long: `Store a platform's base URL, master key, default owner id and default
model as a context in the config file (written with mode 0600), and make
it the current context. Before saving, login checks GET /health and an
authenticated call, and says which failed.

On a terminal it asks for what the flags leave out (the key without
echoing it). Without a terminal, give --base-url and pipe the key to
--api-key-stdin. The key is never taken as a flag value, which would land
in shell history and process lists.`,
		Example: `  lapctl login
  printf %s "$LITELLM_MASTER_KEY" | lapctl login --base-url https://agents.example.com --api-key-stdin --owner alice
  lapctl login --context local --base-url http://localhost:4000`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.Overrides.APIKey != "" {
				return cmdutil.FlagErrorf("login does not take --api-key (it would land in shell history): pipe the key to --api-key-stdin")
			}
			opts.ContextName = f.Overrides.Context
			opts.BaseURL = f.Overrides.BaseURL
			opts.Interactive = opts.IO.CanPrompt() && !opts.APIKeyStdin
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.APIKeyStdin, "api-key-stdin", false, "Read the master key from stdin")
	cmd.Flags().StringVar(&opts.Owner, "owner", "", "Default owner id for new agents and skills")
	cmd.Flags().StringVar(&opts.Model, "model", "", "Default model for new agents")
	cmd.Flags().BoolVar(&opts.NoVerify, "no-verify", false, "Save without checking the server")
	return cmd
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	name := firstOf(opts.ContextName, cfg.CurrentContext, config.DefaultContextName)
	cur := config.Context{}
	if existing := cfg.Context(name); existing != nil {
		cur = *existing
	}
	next := config.Context{
		BaseURL:      firstOf(opts.BaseURL, cur.BaseURL),
		MasterKey:    cur.MasterKey,
		OwnerID:      firstOf(opts.Owner, cur.OwnerID),
		DefaultModel: firstOf(opts.Model, cur.DefaultModel),
	}
	if opts.APIKeyStdin {
		data, err := io.ReadAll(io.LimitReader(opts.IO.In, 64<<10))
		if err != nil {
			return fmt.Errorf("reading the key from stdin: %w", err)
		}
		if next.MasterKey = strings.TrimSpace(string(data)); next.MasterKey == "" {
			return cmdutil.FlagErrorf("--api-key-stdin: stdin was empty; pipe the master key in")
		}
	}
	if opts.Interactive {
		if err := ask(ctx, opts, &next); err != nil {
			return err
		}
	} else if next.BaseURL == "" {
		return cmdutil.FlagErrorf("not a terminal, so nothing can be asked: give --base-url URL, and pipe the key to --api-key-stdin " +
			"(e.g. printf %%s \"$KEY\" | lapctl login --base-url https://host --api-key-stdin --owner you)")
	}
	if _, err := config.ParseBaseURL(next.BaseURL); err != nil {
		return cmdutil.FlagErrorf("--base-url: %v", err)
	}
	next.BaseURL = strings.TrimRight(next.BaseURL, "/")
	if next.MasterKey == "" && !config.IsLoopbackURL(next.BaseURL) {
		return cmdutil.FlagErrorf("%s needs a master key: pipe it to --api-key-stdin, or run lapctl login on a terminal", next.BaseURL)
	}
	if !opts.NoVerify && !opts.Interactive { // ask verified each answer
		if err := verify(ctx, opts, next); err != nil {
			return err
		}
	}
	cfg.SetContext(name, &next)
	cfg.CurrentContext = name
	if err := cfg.Save(); err != nil {
		return err
	}
	owner := next.OwnerID
	if owner == "" {
		owner = "none (set one with lapctl config set owner_id ID)"
	}
	fmt.Fprintf(opts.IO.Out, "✓ Logged in to %s as context %q\n  owner: %s\n  config: %s (mode 0600)\n", next.BaseURL, name, owner, cfg.Path())
	return nil
}

// loginAttempts is how often a terminal login asks again for the part
// that failed (the base URL, or the key) before giving up.
const loginAttempts = 3

// ask prompts for every setting the flags left out; an empty key answer
// keeps the stored key. Unless --no-verify, each answer is checked as it
// is given, and only the part that failed is asked again.
func ask(ctx context.Context, opts *LoginOptions, c *config.Context) error {
	p := opts.Prompter()
	var err error
	for attempt := 1; ; attempt++ {
		if opts.BaseURL == "" {
			if c.BaseURL, err = p.Input(ctx, "Base URL of the platform", firstOf(c.BaseURL, config.DefaultBaseURL), func(s string) error {
				_, err := config.ParseBaseURL(s)
				return err
			}); err != nil {
				return err
			}
		}
		if opts.NoVerify {
			break
		}
		err = checkHealth(ctx, opts, *c)
		if err == nil {
			break
		}
		if opts.BaseURL != "" || attempt == loginAttempts {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "✗ %v\n  Enter the base URL again.\n", err)
	}
	stored := c.MasterKey
	for attempt := 1; ; attempt++ {
		title := "Master key (input hidden)"
		switch {
		case stored != "":
			title += "; empty keeps the stored key"
		case config.IsLoopbackURL(c.BaseURL):
			title += "; empty uses the local default"
		}
		key, err := p.Password(ctx, title)
		if err != nil {
			return err
		}
		c.MasterKey = stored
		if key = strings.TrimSpace(key); key != "" {
			c.MasterKey = key
		}
		if opts.NoVerify {
			break
		}
		err = checkKey(ctx, opts, *c)
		if err == nil {
			break
		}
		var rejected *keyRejected
		if !errors.As(err, &rejected) || attempt == loginAttempts {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "✗ the server rejected the master key; enter it again (the base URL stays %s).\n", c.BaseURL)
	}
	if opts.Owner == "" {
		if c.OwnerID, err = p.Input(ctx, "Default owner id (for new agents and skills)", c.OwnerID, nil); err != nil {
			return err
		}
	}
	if opts.Model == "" {
		if c.DefaultModel, err = askModel(ctx, opts, p, *c); err != nil {
			return err
		}
	}
	c.OwnerID, c.DefaultModel = strings.TrimSpace(c.OwnerID), strings.TrimSpace(c.DefaultModel)
	return nil
}

// noModel is the picker's entry for leaving the default model empty.
const noModel = "(none)"

// askModel offers the server's models as a list when it has a catalogue
// (and the prompter can show one), else asks for free text.
func askModel(ctx context.Context, opts *LoginOptions, p cmdutil.Prompter, c config.Context) (string, error) {
	if sel, ok := p.(cmdutil.Selecter); ok && !opts.NoVerify {
		if cl, err := opts.ClientFor(endpointOf(c)); err == nil {
			mctx, cancel := context.WithTimeout(ctx, verifyTimeout)
			models, err := cl.Models(mctx)
			cancel()
			if err == nil && len(models) > 0 {
				ids := []string{noModel}
				for _, m := range models {
					ids = append(ids, m.ID)
				}
				v, err := sel.Select(ctx, "Default model for new agents (from the server's list)", ids, firstOf(c.DefaultModel, noModel))
				if v == noModel {
					v = ""
				}
				return v, err
			}
		}
	}
	return p.Input(ctx, "Default model (e.g. anthropic/claude-sonnet-4-6; may be empty)", c.DefaultModel, nil)
}

func endpointOf(c config.Context) config.Endpoint {
	ep := config.Endpoint{BaseURL: strings.TrimRight(c.BaseURL, "/"), APIKey: c.MasterKey}
	if ep.APIKey == "" {
		ep.APIKey = config.LocalDefaultKey
	}
	return ep
}

// verify checks that the server answers and accepts the key, naming the
// check that failed and what to do; nothing is saved on failure.
func verify(ctx context.Context, opts *LoginOptions, c config.Context) error {
	if err := checkHealth(ctx, opts, c); err != nil {
		return err
	}
	return checkKey(ctx, opts, c)
}

func checkHealth(ctx context.Context, opts *LoginOptions, c config.Context) error {
	cl, err := opts.ClientFor(endpointOf(c))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	if err := cl.Health(ctx); err != nil {
		return fmt.Errorf("health check failed, nothing was saved: %w\n  check the base URL (or save anyway with --no-verify)", err)
	}
	return nil
}

func checkKey(ctx context.Context, opts *LoginOptions, c config.Context) error {
	cl, err := opts.ClientFor(endpointOf(c))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	if _, err := cl.ListAgents(ctx, client.ListAgentsParams{Limit: 1}); err != nil {
		if client.IsUnauthorized(err) {
			return &keyRejected{err}
		}
		return fmt.Errorf("authenticated check (GET /api/agents) failed, nothing was saved: %w", err)
	}
	return nil
}

// keyRejected is a 401/403 on the authenticated check.
type keyRejected struct{ err error }

func (e *keyRejected) Error() string {
	return "the server is up but rejected the master key, nothing was saved: " + e.err.Error()
}
func (e *keyRejected) Unwrap() error { return e.err }

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Package serve is `lapctl serve`: the embedded platform server.
package serve

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/server"
)

// ServeOptions are the inputs of `serve`.
type ServeOptions struct {
	IO *iostreams.IOStreams
	// Run starts the server and blocks until ctx is done (server.Run).
	Run func(ctx context.Context, opts server.Options) error

	Listen              string
	DataDir             string
	MasterKey           string
	MasterKeyFile       string
	AllowedHosts        []string
	NoSandbox           bool
	SandboxReadOnly     []string
	HarnessCmds         map[string]string
	Models              []string
	InstallRequirements bool
	Demo                bool
	LogFormat           string
	LogLevel            string
}

// NewCmdServe builds `serve`.
func NewCmdServe(f *cmdutil.Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IOStreams, Run: server.Run}
	var harnessCmds []string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the embedded platform server",
		Long: `Run the embedded LiteLLM Agent Platform: the whole API over a local SQLite
store, running sessions on this machine. It stops gracefully (ending its
sessions) on Ctrl-C or SIGTERM.

The master key comes from --master-key-file, LITELLM_MASTER_KEY or
--master-key (flags show in ps: prefer the file or the variable); on a
loopback address it defaults to sk-local, elsewhere one is required.
On a loopback address only the Host names 127.0.0.1, [::1] and localhost
are answered (a DNS-rebinding page is refused); --allowed-host adds more.
Each session runs in a bubblewrap sandbox (package bubblewrap); a session
that cannot get one fails, unless --no-sandbox says to run it unprotected.
--harness-cmd maps a harness id to the command that runs it (ids that are
not built in register API aliases).`,
		Example: `  lapctl serve --demo
  LITELLM_MASTER_KEY=sk-... lapctl serve --listen 0.0.0.0:4000 \
    --harness-cmd claude-code='claude' --harness-cmd opencode='opencode serve'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.MasterKeyFile != "" {
				if opts.MasterKey != "" {
					return cmdutil.FlagErrorf("--master-key and --master-key-file both given: use one (the file keeps the key out of ps)")
				}
				key, err := ReadKeyFile(opts.MasterKeyFile)
				if err != nil {
					return err
				}
				opts.MasterKey = key
			}
			if opts.MasterKey == "" {
				opts.MasterKey = f.IOStreams.Getenv(config.EnvMasterKey)
			}
			cmds, err := ParseHarnessCmds(harnessCmds)
			if err != nil {
				return err
			}
			opts.HarnessCmds = cmds
			if _, err := newLogger(io.Discard, opts.LogFormat, opts.LogLevel); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Listen, "listen", server.DefaultListen, "Address to listen on")
	fl.StringVar(&opts.DataDir, "data-dir", "", "Where the database, secret key and session files live (default $XDG_DATA_HOME/lapctl)")
	fl.StringVar(&opts.MasterKey, "master-key", "", "API key clients must send (default $LITELLM_MASTER_KEY; sk-local on loopback). Warning: flags show in ps; prefer --master-key-file")
	fl.StringVar(&opts.MasterKeyFile, "master-key-file", "", "Read the master key from this file (mode 0600, owned by you)")
	fl.StringArrayVar(&opts.AllowedHosts, "allowed-host", nil, "Also answer this Host/Origin name (repeatable); loopback names are always allowed")
	fl.StringArrayVar(&opts.SandboxReadOnly, "sandbox-ro", nil, "Bind this directory read-only into every session's sandbox (harness programs installed outside /usr, /opt…); repeatable")
	fl.BoolVar(&opts.NoSandbox, "no-sandbox", false, "Run sessions without the bubblewrap sandbox (unprotected; logged and shown on each session)")
	fl.StringArrayVar(&harnessCmds, "harness-cmd", nil, "Harness command ID='COMMAND' (repeatable)")
	fl.StringSliceVar(&opts.Models, "models", nil, "Models /v1/models lists (comma-separated)")
	fl.BoolVar(&opts.InstallRequirements, "install-requirements", false, "Run pip for agents' requirements at session start")
	fl.BoolVar(&opts.Demo, "demo", false, "Seed demo skills and agents into an empty store")
	fl.StringVar(&opts.LogFormat, "log-format", "text", "Log format: text or json")
	fl.StringVar(&opts.LogLevel, "log-level", "info", "Log level: debug, info, warn or error")
	_ = cmd.RegisterFlagCompletionFunc("log-format", cmdutil.FixedCompletions("text", "json"))
	_ = cmd.RegisterFlagCompletionFunc("log-level", cmdutil.FixedCompletions("debug", "info", "warn", "error"))
	return cmd
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	log, err := newLogger(opts.IO.ErrOut, opts.LogFormat, opts.LogLevel)
	if err != nil {
		return err
	}
	return opts.Run(ctx, server.Options{
		Listen:              opts.Listen,
		DataDir:             opts.DataDir,
		MasterKey:           opts.MasterKey,
		MasterKeyFile:       opts.MasterKeyFile,
		AllowedHosts:        opts.AllowedHosts,
		NoSandbox:           opts.NoSandbox,
		SandboxReadOnly:     opts.SandboxReadOnly,
		HarnessCmds:         opts.HarnessCmds,
		Models:              opts.Models,
		InstallRequirements: opts.InstallRequirements,
		Demo:                opts.Demo,
		Logger:              log,
		Ready: func(addr string) {
			fmt.Fprintf(opts.IO.ErrOut, "lapctl serve: listening on http://%s (Ctrl-C stops)\n", addr)
		},
	})
}

// ParseHarnessCmds reads repeated --harness-cmd ID=COMMAND values.
func ParseHarnessCmds(vals []string) (map[string]string, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, v := range vals {
		id, command, ok := strings.Cut(v, "=")
		id, command = strings.TrimSpace(id), strings.TrimSpace(command)
		if !ok || id == "" || command == "" {
			return nil, cmdutil.FlagErrorf("--harness-cmd %q: want ID=COMMAND, e.g. claude-code='claude'", v)
		}
		out[id] = command
	}
	return out, nil
}

// newLogger builds the server's logger from the --log-format and
// --log-level values.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, cmdutil.FlagErrorf("--log-level %q: want debug, info, warn or error", level)
	}
	ho := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	}
	return nil, cmdutil.FlagErrorf("--log-format %q: want text or json", format)
}

// Package local is `lapctl local`: the embedded server and the console in
// one process, for trying lapctl (`make run`) or working alone.
package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/serve"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/server"
	"lapctl/spec"
)

// LocalOwner is the owner id the console acts as when the config names
// none: the embedded server's demo data belongs to it.
const LocalOwner = "local-user"

// LocalOptions are the inputs of `local`.
type LocalOptions struct {
	IO *iostreams.IOStreams
	// UseServer points every client built from then on at url with key
	// (as --base-url and --api-key would).
	UseServer func(url, key string)
	Endpoint  func() (config.Endpoint, error)
	Config    func() (*config.Config, error)
	// Console opens the full-screen console on ep.
	Console func(ctx context.Context, ep config.Endpoint) error

	Listen string
	// explicitListen: --listen was given, so a taken port is an error
	// rather than a reason to pick another.
	explicitListen bool
	DataDir        string
	Demo           bool
	HarnessCmds    map[string]string
}

// demoReply answers a message to an API harness in demo mode, where no
// model is attached: it says so plainly and echoes what it got, so the
// message round trip can be tried end to end.
const demoReply = `msg=$(cat); printf '[demo %s reply: lapctl local --demo has no model attached; map a real harness with --harness-cmd]\nYou said: %s\n' "${LITELLM_DEFAULT_MODEL:-model}" "$msg"`

// harnessCmds are the operator's mappings plus, in demo mode, the demo
// responder for API harnesses left unmapped.
func (o *LocalOptions) harnessCmds() map[string]string {
	out := map[string]string{}
	if o.Demo {
		for _, h := range spec.BuiltinHarnesses() {
			if !h.IsTUI() {
				out[h.ID] = demoReply
			}
		}
	}
	for id, c := range o.HarnessCmds {
		out[id] = c
	}
	return out
}

// NewCmdLocal builds `local`.
func NewCmdLocal(f *cmdutil.Factory, runF func(*LocalOptions) error) *cobra.Command {
	opts := newLocalOptions(f)
	var harnessCmds []string
	cmd := &cobra.Command{
		Use:   "local",
		Short: "Run the embedded server and open the console on it",
		Long: `Start the embedded server inside this process on a loopback port and open
the console on it; quitting the console stops the server and its sessions.
The server logs to <data-dir>/server.log, never to the terminal. --demo
seeds demo skills and agents into an empty store and, as no model is
attached, answers messages to API harnesses with a labelled demo reply
(map real ones with --harness-cmd).`,
		Example: `  lapctl local --demo
  lapctl local --data-dir /tmp/lapctl-try --listen 127.0.0.1:4001`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmds, err := serve.ParseHarnessCmds(harnessCmds)
			if err != nil {
				return err
			}
			opts.HarnessCmds = cmds
			opts.explicitListen = cmd.Flags().Changed("listen")
			if runF != nil {
				return runF(opts)
			}
			return localRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Listen, "listen", DefaultListen, "Address to listen on (the default falls back to a free port when taken; port 0 picks a free one)")
	cmd.Flags().StringVar(&opts.DataDir, "data-dir", "", "Where the server keeps its data (default $XDG_DATA_HOME/lapctl)")
	cmd.Flags().BoolVar(&opts.Demo, "demo", false, "Seed demo skills and agents into an empty store, and answer API-harness messages with a demo reply")
	cmd.Flags().StringArrayVar(&harnessCmds, "harness-cmd", nil, "Harness command ID='COMMAND' (repeatable), as for lapctl serve")
	return cmd
}

// newLocalOptions takes the command's dependencies from f.
func newLocalOptions(f *cmdutil.Factory) *LocalOptions {
	return &LocalOptions{
		IO:        f.IOStreams,
		UseServer: func(url, key string) { f.Overrides.BaseURL, f.Overrides.APIKey = url, key },
		Endpoint:  f.Endpoint,
		Config:    f.Config,
		Console:   consoleOn(f),
	}
}

// runKey is the key of this run's server: the operator's, or a fresh
// random one. A fixed documented key would let any page that reaches the
// port (or any local user who reads the docs) drive the server.
func runKey(given string) string {
	if given != "" {
		return given
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	return "sk-run-" + hex.EncodeToString(b)
}

func localRun(ctx context.Context, opts *LocalOptions) error {
	dataDir := opts.DataDir
	if dataDir == "" {
		dataDir = server.DefaultDataDir()
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	logPath := filepath.Join(dataDir, "server.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("server log: %w", err)
	}
	defer logFile.Close()
	log := slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelInfo}))

	srv, err := server.New(server.Options{Listen: opts.Listen, DataDir: dataDir, Demo: opts.Demo, Logger: log,
		HarnessCmds: opts.harnessCmds(),
		MasterKey:   runKey(opts.IO.Getenv(config.EnvMasterKey))})
	if err != nil {
		return err
	}
	ln, err := listen(opts.Listen, opts.explicitListen || opts.Listen != DefaultListen)
	if err != nil {
		_ = srv.Shutdown(context.Background())
		return fmt.Errorf("listen on %s: %w", opts.Listen, err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		fmt.Fprintln(opts.IO.ErrOut, "Stopping the local server…")
		shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutCtx); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "warning: stopping the local server: %v (see %s)\n", err, logPath)
		}
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(opts.IO.ErrOut, "warning: local server: %v (see %s)\n", err, logPath)
		}
	}()

	url := "http://" + ln.Addr().String()
	log.Info("lapctl local: server listening", "url", url, "data_dir", dataDir)
	// Every client built from here on talks to this server.
	opts.UseServer(url, srv.MasterKey())
	owner := LocalOwner
	if ep, err := opts.Endpoint(); err == nil && ep.OwnerID != "" {
		owner = ep.OwnerID
	}
	if cfg, err := opts.Config(); err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "warning: commands in other shells will not find this server: %v\n", err)
	} else if lc, err := publishLocal(cfg, url, srv.MasterKey(), owner); err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "warning: commands in other shells will not find this server: %v\n", err)
	} else {
		defer func() {
			if err := lc.restore(url); err != nil {
				fmt.Fprintf(opts.IO.ErrOut, "warning: removing the local context from the config: %v\n", err)
			}
		}()
	}
	return runConsole(ctx, opts, url, owner, logPath)
}

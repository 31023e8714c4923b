// Package sshservecmd is `lapctl ssh-serve`: the console and the command
// line served over SSH (package sshserve), on the operator's platform
// connection.
package sshservecmd

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/server"
	"lapctl/sshserve"
)

// SSHServeOptions are the command's flags and dependencies.
type SSHServeOptions struct {
	IO *iostreams.IOStreams
	// Config, Endpoint and Client are the operator's: every SSH user
	// shares this platform connection, acting as their key's owner.
	Config   func() (*config.Config, error)
	Endpoint func() (config.Endpoint, error)
	Client   func(config.Endpoint) (*client.Client, error)
	// NewRoot builds the command tree for one SSH command session.
	NewRoot func(*cmdutil.Factory) *cobra.Command

	Listen         string
	DataDir        string
	AuthorizedKeys string
	MaxSessions    int
	IdleTimeout    time.Duration
}

// NewCmdSSHServe is `lapctl ssh-serve`. newRoot builds the command tree
// each SSH command session runs (cli.NewRootCmd: taken as a parameter, as
// cli imports this package).
func NewCmdSSHServe(f *cmdutil.Factory, newRoot func(*cmdutil.Factory) *cobra.Command) *cobra.Command {
	return newCmdSSHServe(f, newRoot, nil)
}

func newCmdSSHServe(f *cmdutil.Factory, newRoot func(*cmdutil.Factory) *cobra.Command, runF func(context.Context, *SSHServeOptions) error) *cobra.Command {
	opts := &SSHServeOptions{
		IO:       f.IOStreams,
		Config:   f.Config,
		Endpoint: f.Endpoint,
		Client:   f.ClientFor,
		NewRoot:  newRoot,
	}
	cmd := &cobra.Command{
		Use:   "ssh-serve",
		Short: "Serve the console and the command line over SSH",
		Long: `Serve the console and the command line over SSH, so a team can run one
console on a bastion and reach it with plain ssh.

Users log in with a public key listed in the authorized keys file; each key
may name the platform owner it acts as (see docs/ssh.md):

  environment="LAPCTL_OWNER=alice" ssh-ed25519 AAAA... alice@laptop

"ssh -p 2222 host" opens the console; "ssh -p 2222 host agents list --json"
runs a command. Every user shares this command's platform connection
(flags, environment, config, as for any lapctl command). SIGTERM or Ctrl-C
tells connected users and shuts down.`,
		Example: `  lapctl ssh-serve
  lapctl ssh-serve --listen 0.0.0.0:2222 --authorized-keys /etc/lapctl/authorized_keys
  ssh -p 2222 localhost agents list`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.Remote {
				return cmdutil.ErrRemote
			}
			if opts.MaxSessions < 1 {
				return cmdutil.FlagErrorf("--max-sessions must be at least 1")
			}
			if opts.IdleTimeout < 0 {
				return cmdutil.FlagErrorf("--idle-timeout must not be negative (0 disables it)")
			}
			if _, _, err := net.SplitHostPort(opts.Listen); err != nil {
				return cmdutil.FlagErrorf("--listen %q: want host:port, e.g. %s", opts.Listen, sshserve.DefaultListen)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return sshServeRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Listen, "listen", sshserve.DefaultListen, "Address to listen on (host:port); 0.0.0.0:2222 for other machines")
	fl.StringVar(&opts.DataDir, "data-dir", "", "Directory of the SSH host key (default: lapctl serve's, $XDG_DATA_HOME/lapctl)")
	fl.StringVar(&opts.AuthorizedKeys, "authorized-keys", "", "Keys allowed in, with their owners (default <data-dir>/authorized_keys)")
	fl.IntVar(&opts.MaxSessions, "max-sessions", sshserve.DefaultMaxSessions, "Concurrent SSH sessions allowed")
	fl.DurationVar(&opts.IdleTimeout, "idle-timeout", sshserve.DefaultIdleTimeout, "Close sessions idle this long (0 disables)")
	return cmd
}

func sshServeRun(ctx context.Context, opts *SSHServeOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	ep, err := opts.Endpoint()
	if err != nil {
		return err
	}
	c, err := opts.Client(ep)
	if err != nil {
		return err
	}
	dataDir := opts.DataDir
	if dataDir == "" {
		dataDir = server.DefaultDataDir()
	}
	keys := opts.AuthorizedKeys
	if keys == "" {
		keys = filepath.Join(dataDir, sshserve.AuthorizedKeysFile)
	}
	if err := requireSandbox(ctx, ep.BaseURL, keys); err != nil {
		return err
	}
	idle := opts.IdleTimeout
	if idle == 0 {
		idle = -1 // the flag's 0 is "never"; sshserve's is "default"
	}
	ios := opts.IO
	return sshserve.Run(ctx, sshserve.Options{
		Listen:         opts.Listen,
		DataDir:        dataDir,
		AuthorizedKeys: opts.AuthorizedKeys,
		MaxSessions:    opts.MaxSessions,
		IdleTimeout:    idle,
		Logger:         slog.New(slog.NewTextHandler(ios.ErrOut, nil)),
		NewCommand:     remoteCommand(opts.NewRoot, ep, cfg.Path()),
		ExitCode:       reportError,
		NewConsole:     newConsole(c, ep, cfg),
		Client:         c,
		DetachKeys:     cfg.DetachKeys,
		Ready: func(addr string) {
			host, port, _ := net.SplitHostPort(addr)
			fmt.Fprintf(ios.Out, "lapctl ssh-serve: listening on %s (platform %s); connect with: ssh -p %s %s\n", addr, ep.BaseURL, port, host)
		},
	})
}

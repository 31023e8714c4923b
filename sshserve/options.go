package sshserve

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/iostreams"
	"lapctl/spec"
)

// Defaults for Options.
const (
	DefaultListen          = "127.0.0.1:2222"
	DefaultMaxSessions     = 16
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultShutdownTimeout = 10 * time.Second
	// HostKeyFile is the host key's name inside the data dir.
	HostKeyFile = "ssh_host_ed25519"
	// AuthorizedKeysFile is the default authorized_keys inside the data dir.
	AuthorizedKeysFile = "authorized_keys"
)

// AttachFunc returns the command that attaches the SSH client's terminal to
// a TUI session; the console runs it with tea.Exec.
type AttachFunc func(sess *spec.Session) (tea.ExecCommand, error)

// Options configure a Server.
type Options struct {
	// Listen is the TCP address; "" is DefaultListen.
	Listen string
	// DataDir holds the host key (<DataDir>/ssh_host_ed25519, 0600),
	// created on first start. Required.
	DataDir string
	// AuthorizedKeys lists the keys allowed in, each with the owner it
	// acts as (docs/ssh.md). "" is <DataDir>/authorized_keys. It is read
	// again on every authentication, so edits apply to the next login.
	AuthorizedKeys string
	// MaxSessions bounds concurrent sessions; 0 is DefaultMaxSessions.
	MaxSessions int
	// IdleTimeout closes a session after this long without input (and,
	// for commands, without output); 0 is DefaultIdleTimeout, negative
	// means never.
	IdleTimeout time.Duration
	// ShutdownTimeout bounds Run's graceful shutdown; 0 is
	// DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Logger gets one line per session start and end, and refused keys;
	// nil is slog.Default().
	Logger *slog.Logger

	// NewCommand builds a fresh command tree for one command session, on
	// ios (the session's streams), acting as id.OwnerID. Required.
	NewCommand func(ios *iostreams.IOStreams, id Identity) *cobra.Command
	// ExitCode reports a failed command on stderr and returns the exit
	// status; cmd is the command that failed (for its usage). nil prints
	// "error: ..." (unless cobra already did) and returns 1.
	ExitCode func(cmd *cobra.Command, err error, stderr io.Writer) int
	// NewConsole builds the console for one PTY session: term is what the
	// session tells of its terminal, attach attaches to TUI sessions.
	// Required.
	NewConsole func(s ssh.Session, term Terminal, id Identity, attach AttachFunc) (tea.Model, error)
	// Client is the platform connection every session shares; attach
	// uses it to find a session's tty_url and token. Without it attach
	// is refused.
	Client *client.Client
	// DetachKeys ends an attach and returns to the console (docker's
	// syntax, "ctrl-p,ctrl-q"); "" is ptyattach's default, ctrl-].
	DetachKeys string

	// Ready, when set, is called with the listening address once
	// connections are accepted.
	Ready func(addr string)
}

// Terminal is what an SSH session tells of its terminal before the console
// asks it anything (the console learns the background through its program).
type Terminal struct {
	// LightBackground: COLORFGBG says the background is light.
	LightBackground bool
}

// Identity is who a session is: the SSH login, the key that proved it, and
// the platform owner that key acts as.
type Identity struct {
	// User is the SSH login name. It grants nothing: the key decides.
	User string
	// OwnerID is the platform owner id the key is mapped to; "" means the
	// key has no mapping and acts as the operator (the console's own
	// endpoint owner).
	OwnerID string
	// Fingerprint is the key's SHA256 fingerprint ("SHA256:...").
	Fingerprint string
	// RemoteAddr is the client's address.
	RemoteAddr string
}

func (o *Options) setDefaults() error {
	if o.DataDir == "" {
		return errors.New("sshserve: Options.DataDir is required (it holds the host key)")
	}
	if o.NewCommand == nil || o.NewConsole == nil {
		return errors.New("sshserve: Options.NewCommand and Options.NewConsole are required")
	}
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.AuthorizedKeys == "" {
		o.AuthorizedKeys = filepath.Join(o.DataDir, AuthorizedKeysFile)
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return nil
}

package sshservecmd

import (
	"errors"
	"io"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/sshserve"
	"lapctl/tui"
)

// remoteCommand builds the command tree for one SSH command session: a
// Factory on the session's streams, acting as the key's owner, marked
// remote (commands acting on this machine are left out), and pinned to the
// operator's endpoint.
func remoteCommand(newRoot func(*cmdutil.Factory) *cobra.Command, ep config.Endpoint, configPath string) func(*iostreams.IOStreams, sshserve.Identity) *cobra.Command {
	return func(ios *iostreams.IOStreams, id sshserve.Identity) *cobra.Command {
		f := &cmdutil.Factory{IOStreams: ios, Identity: id.OwnerID, Remote: true, ConfigPath: configPath}
		root := newRoot(f)
		pinEndpoint(root, f, ep)
		return root
	}
}

// endpointFlags choose the server and key; over SSH they would let a user
// send the operator's key to a server of their choosing.
var endpointFlags = []string{"context", "base-url", "api-key"}

// pinEndpoint makes the session's commands talk to the operator's platform.
// It runs after the tree is built, because defining the flags resets the
// Overrides they are bound to.
func pinEndpoint(root *cobra.Command, f *cmdutil.Factory, ep config.Endpoint) {
	for _, name := range endpointFlags {
		if fl := root.PersistentFlags().Lookup(name); fl != nil {
			fl.Value = refusedFlag{fl.Value}
			fl.Hidden = true
		}
	}
	f.Overrides = config.Overrides{Context: ep.Context, BaseURL: ep.BaseURL, APIKey: ep.APIKey}
}

// refusedFlag is a flag that cannot be set.
type refusedFlag struct{ orig pflag.Value }

func (r refusedFlag) String() string { return r.orig.String() }
func (r refusedFlag) Type() string   { return r.orig.Type() }
func (r refusedFlag) Set(string) error {
	return errors.New("not available over SSH: this server's platform connection is fixed by its operator")
}

// reportError is cmdutil.ReportError in the argument order sshserve wants.
func reportError(cmd *cobra.Command, err error, w io.Writer) int {
	return cmdutil.ReportError(w, cmd, err)
}

// newConsole builds the console for one SSH session: the shared client,
// the key's owner in place of the operator's, the session's first guess at
// its background (the console then asks the client's terminal) and the SSH
// attach bridge. The editor is off: it would run on this host.
func newConsole(c *client.Client, ep config.Endpoint, cfg *config.Config) func(ssh.Session, sshserve.Terminal, sshserve.Identity, sshserve.AttachFunc) (tea.Model, error) {
	return func(s ssh.Session, term sshserve.Terminal, id sshserve.Identity, attach sshserve.AttachFunc) (tea.Model, error) {
		sep := ep
		if id.OwnerID != "" {
			sep.OwnerID = id.OwnerID
		}
		return tui.New(tui.Options{
			Client:   c,
			Endpoint: sep,
			Config:   cfg,
			ReadOnly: cfg.ReadOnly,

			LightBackground: term.LightBackground,
			Attach:          attach,
			User:            id.User,
			Getenv:          func(string) string { return "" },
			NoEditor:        true,
			Scope:           client.Scope{Owner: id.OwnerID},
			Context:         s.Context(),
		}), nil
	}
}

// Package cmdtest parses one command's arguments for the command
// packages' TestNewCmdX tables, as cli/cli's do: the command is built
// with a runF that captures its options, so nothing runs. Unlike clitest
// it does not import the command tree, so a command package's own
// (internal) tests can use it.
package cmdtest

import (
	"bytes"
	"io"
	"strings"
	"testing"

	shlex "github.com/anmitsu/go-shlex"
	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/iostreams"
)

// Opts are the conditions the command is parsed in.
type Opts struct {
	TTY   bool              // stdin and stdout are terminals
	Stdin string            // what the command can read
	Env   map[string]string // all the environment it sees
}

// Run builds a command with newCmd on test streams and executes it on
// argv, split as a shell would; it returns the command's error.
func Run(t testing.TB, o Opts, argv string, newCmd func(*cmdutil.Factory) *cobra.Command) error {
	t.Helper()
	ios := iostreams.New(strings.NewReader(o.Stdin), io.Discard, io.Discard, false, nil, func(k string) string { return o.Env[k] })
	ios.SetStdinTTY(o.TTY)
	ios.SetStdoutTTY(o.TTY)
	cmd := newCmd(cmdutil.New(ios))
	args, err := shlex.Split(argv, true)
	if err != nil {
		t.Fatal(err)
	}
	cmd.SetArgs(output.RewriteJSONArgs(args)) // as cli.Execute does
	cmd.SetIn(&bytes.Buffer{})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	_, err = cmd.ExecuteC()
	return err
}

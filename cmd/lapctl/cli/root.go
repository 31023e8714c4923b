// Package cli is lapctl's command tree. Main runs it for this process;
// Execute runs it for any Factory, such as the SSH server's, whose
// streams and identity are an SSH session's. Nothing under cli touches the
// process's own streams, arguments or environment: all of it comes
// through the Factory.
package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/agents"
	"lapctl/cmd/lapctl/cli/attach"
	"lapctl/cmd/lapctl/cli/auth"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/completion"
	"lapctl/cmd/lapctl/cli/configcmd"
	"lapctl/cmd/lapctl/cli/local"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/cmd/lapctl/cli/serve"
	"lapctl/cmd/lapctl/cli/sessions"
	"lapctl/cmd/lapctl/cli/skills"
	"lapctl/cmd/lapctl/cli/sshservecmd"
	"lapctl/cmd/lapctl/cli/system"
	"lapctl/iostreams"
)

// Main runs lapctl on this process's streams and arguments and returns
// the exit code. The first Ctrl-C or SIGTERM cancels the command's
// context (serve shuts down gracefully); a second one kills at once.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	return Execute(ctx, cmdutil.New(iostreams.System()), os.Args[1:])
}

// Execute runs the command tree with args on f and returns the exit code,
// having printed any error to f's stderr.
func Execute(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewRootCmd(f)
	// A nil slice would make cobra read os.Args.
	root.SetArgs(output.RewriteJSONArgs(append([]string{}, args...)))
	cmd, err := root.ExecuteContextC(ctx)
	return cmdutil.ReportError(f.IOStreams.ErrOut, cmd, err)
}

// NewRootCmd builds the whole command tree on f. With f.Remote set (an
// SSH session) the commands that act on the local machine are left out.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	ios := f.IOStreams
	root := &cobra.Command{
		Use:   "lapctl",
		Short: "Terminal console for the LiteLLM Agent Platform",
		Long: `lapctl manages agents, skills and sessions of the LiteLLM Agent Platform,
attaches to agent terminals, and runs an embedded platform server.

Run without arguments on a terminal, it opens the full-screen console.
Connection settings come from flags, then LITELLM_API_BASE and
LITELLM_MASTER_KEY, then the config file (lapctl login).`,
		Example: `  lapctl local --demo            # try it: a local server and the console
  lapctl login                   # store a server and its key
  lapctl agents list
  lapctl agents create -f agent.yaml
  lapctl sessions send review-42 "Summarise the PR"`,
		Args:          cmdutil.NoArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ios.CanPrompt() && !f.Remote {
				return local.OpenConsole(cmd.Context(), f)
			}
			return cmd.Help()
		},
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(cmdutil.FlagErrorWithSuggestion)
	root.CompletionOptions.DisableDefaultCmd = true

	pf := root.PersistentFlags()
	pf.StringVar(&f.Overrides.Context, "context", "", "Config context to use (default: the current one; $LAPCTL_CONTEXT)")
	pf.StringVar(&f.Overrides.BaseURL, "base-url", "", "Server base URL (default $LITELLM_API_BASE, then the config)")
	pf.StringVar(&f.Overrides.APIKey, "api-key", "", "Master key; discouraged, as it shows in process lists: prefer $LITELLM_MASTER_KEY or lapctl login")
	pf.StringVar(&f.Overrides.Platform, "platform", "", "API dialect of the server: lapctl, gateway, managed or auto (default: learned from the server; $LAPCTL_PLATFORM, platform: in the context)")
	_ = root.RegisterFlagCompletionFunc("platform", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"auto", "lapctl", "gateway", "managed"}, cobra.ShellCompDirectiveNoFileComp
	})
	pf.BoolVar(&f.Debug, "debug", false, "Log HTTP requests and responses to stderr (keys and secrets masked)")
	pf.BoolVar(&f.Accessible, "accessible", false, "Ask questions as plain prompts for screen readers (also ACCESSIBLE=1 or accessible: true in the config)")
	_ = root.RegisterFlagCompletionFunc("context", cmdutil.CompleteContexts(f))

	root.AddGroup(
		&cobra.Group{ID: "core", Title: "Platform objects:"},
		&cobra.Group{ID: "info", Title: "Platform information:"},
		&cobra.Group{ID: "local", Title: "Running a platform:"},
		&cobra.Group{ID: "setup", Title: "Setup:"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	f.AttachSession = attach.AttachSession(f)
	add("core", agents.NewCmdAgents(f), skills.NewCmdSkills(f), sessions.NewCmdSessions(f), attach.NewCmdAttach(f, nil))
	add("info",
		system.NewCmdModels(f, nil), system.NewCmdRuntimes(f, nil), system.NewCmdHarnesses(f, nil),
		system.NewCmdHealth(f, nil), system.NewCmdStatus(f, nil))
	add("setup", system.NewCmdVersion(f, nil), completion.NewCmdCompletion(f, nil))
	if !f.Remote {
		add("local", serve.NewCmdServe(f, nil), local.NewCmdLocal(f, nil), sshservecmd.NewCmdSSHServe(f, NewRootCmd))
		add("setup", auth.NewCmdLogin(f, nil), auth.NewCmdLogout(f, nil), configcmd.NewCmdConfig(f, nil))
	}
	root.SetHelpCommandGroupID("setup")
	return root
}

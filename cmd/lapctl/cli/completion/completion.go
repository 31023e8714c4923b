// Package completion is `lapctl completion`: shell completion scripts.
package completion

import (
	"slices"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
)

// CompletionOptions are the inputs of `completion`.
type CompletionOptions struct {
	IO    *iostreams.IOStreams
	Shell string
}

// NewCmdCompletion builds `completion`.
func NewCmdCompletion(f *cmdutil.Factory, runF func(*CompletionOptions) error) *cobra.Command {
	opts := &CompletionOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "completion <bash|zsh|fish|powershell>",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell. Besides commands and flags, it
completes agent, session and skill ids and names by asking the server
(with a short timeout; an unreachable server just completes nothing).

bash needs the bash-completion package (apt-get install bash-completion,
brew install bash-completion@2): without it the script loads but completes
nothing.`,
		Example: `  # bash: current shell, then every new one
  source <(lapctl completion bash)
  lapctl completion bash > ~/.local/share/bash-completion/completions/lapctl
  # zsh (a directory in $fpath)
  lapctl completion zsh > "${fpath[1]}/_lapctl"
  # fish
  lapctl completion fish > ~/.config/fish/completions/lapctl.fish`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.ExactArgs(1, "a shell: bash, zsh, fish or powershell")(cmd, args); err != nil {
				return err
			}
			if !slices.Contains(cmd.ValidArgs, args[0]) {
				return cmdutil.FlagErrorf("unknown shell %q: use bash, zsh, fish or powershell", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Shell = args[0]
			if runF != nil {
				return runF(opts)
			}
			root := cmd.Root()
			switch opts.Shell {
			case "bash":
				return root.GenBashCompletionV2(opts.IO.Out, true)
			case "zsh":
				return root.GenZshCompletion(opts.IO.Out)
			case "fish":
				return root.GenFishCompletion(opts.IO.Out, true)
			default:
				return root.GenPowerShellCompletionWithDesc(opts.IO.Out)
			}
		},
	}
}

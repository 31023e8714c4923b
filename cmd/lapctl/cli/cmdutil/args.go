package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// ExactArgs requires n arguments; what names them in the error
// ("an agent id or name").
func ExactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < n:
			return FlagErrorf("%s requires %s", cmd.CommandPath(), what)
		case len(args) > n:
			return FlagErrorf("%s takes %s; unexpected argument %q (quote values with spaces)", cmd.CommandPath(), what, args[n])
		}
		return nil
	}
}

// MinimumArgs requires at least n arguments.
func MinimumArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return FlagErrorf("%s requires %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// RangeArgs requires between min and max arguments.
func RangeArgs(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			return FlagErrorf("%s takes %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// NoArgs refuses arguments; on a command with subcommands a stray word is
// most likely a mistyped subcommand, so the error says so.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // cobra's own default for the root
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return FlagErrorf("%s", msg)
	}
	return FlagErrorf("%s takes no arguments; unexpected %q", cmd.CommandPath(), args[0])
}

// NewGroupCmd returns a noun command (agents, skills...) that only holds
// subcommands: run bare it prints its help; with a stray word it fails
// with a usage error instead of silently printing help and exiting 0.
func NewGroupCmd(use, short, long string, aliases ...string) *cobra.Command {
	return &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    long,
		Aliases: aliases,
		Args:    NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
}

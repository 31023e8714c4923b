package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/spec"
)

// PrintError writes err for a person: "error: ..." with, for broken
// validation rules, one line per field naming the rule. Errors that
// already said everything (cancel, silent, exit codes) print nothing.
func PrintError(w io.Writer, err error) {
	var codeErr *ExitCodeError
	switch {
	case err == nil, errors.Is(err, ErrSilent), errors.Is(err, ErrCancel), errors.As(err, &codeErr):
		return
	}
	var es spec.Errors
	var fe *spec.FieldError
	switch {
	case errors.As(err, &es):
	case errors.As(err, &fe):
		es = spec.Errors{fe}
	default:
		fmt.Fprintf(w, "error: %s\n", err)
		return
	}
	var b strings.Builder
	prefix := strings.TrimSuffix(err.Error(), es.Error())
	prefix = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(prefix), ":"))
	if prefix == "" {
		prefix = "invalid input"
	}
	fmt.Fprintf(&b, "error: %s (nothing was sent):\n", prefix)
	for _, e := range es {
		fmt.Fprintf(&b, "  %s [%s]: %s\n", e.Field, e.Rule, e.Message)
	}
	io.WriteString(w, b.String())
}

// ReportError prints the error a command tree returned, as lapctl does
// everywhere (locally and over SSH): the error, then the usage for a usage
// mistake (a leaf's, or a hint for a group's, which would bury the error
// under every subcommand). It returns the exit code. cmd is the command
// that failed, as cobra's ExecuteC returns it; it may be nil.
func ReportError(w io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return ExitOK
	}
	// cobra reports an unknown subcommand of the root as a plain error.
	if strings.HasPrefix(err.Error(), "unknown command ") {
		err = &FlagError{Err: err}
	}
	PrintError(w, err)
	code := ExitCode(err)
	// Usage only for a usage mistake: a FlagError wrapped in another
	// outcome (an exit code of its own) is not one.
	var flagErr *FlagError
	if code == ExitUsage && errors.As(err, &flagErr) && cmd != nil {
		if cmd.HasAvailableSubCommands() {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		} else {
			fmt.Fprintf(w, "\n%s", cmd.UsageString())
		}
	}
	return code
}

package output

import (
	"fmt"

	"lapctl/iostreams"
)

// Report prints what a command made or changed: v as JSON with --json,
// lines for a person on a terminal, else the bare id, so a script can
// take it with $(lapctl … create …).
func Report(ios *iostreams.IOStreams, asJSON bool, v any, id string, lines ...string) error {
	switch {
	case asJSON:
		return WriteJSON(ios.Out, v)
	case ios.IsStdoutTTY():
		for _, l := range lines {
			fmt.Fprintln(ios.Out, l)
		}
	default:
		fmt.Fprintln(ios.Out, id)
	}
	return nil
}

// List prints what a list command found: items as JSON with --json; for
// none, a hint on stderr on a terminal and nothing when piped (a script
// sees an empty list); else whatever render prints (the table).
func List(ios *iostreams.IOStreams, asJSON bool, items any, n int, hint string, render func() error) error {
	if asJSON {
		return WriteJSON(ios.Out, items)
	}
	if n == 0 {
		if ios.IsStdoutTTY() {
			fmt.Fprintln(ios.ErrOut, hint)
		}
		return nil
	}
	return render()
}

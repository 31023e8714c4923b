// Package output prints what commands return: tables fitted to the
// terminal (tab-separated rows when piped), key/value details, JSON and
// relative times. Styles come from a renderer built for the command's own
// streams, so output over SSH is styled for the SSH client.
package output

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lapctl/iostreams"
)

// NewRenderer builds a lipgloss renderer for ios.Out. The colour profile
// is decided from ios (terminal, NO_COLOR, TERM, COLORTERM), never from
// the process's own environment, and the background is not queried, since
// a query would read the command's stdin.
func NewRenderer(ios *iostreams.IOStreams) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(ios.Out)
	r.SetHasDarkBackground(true)
	switch ct := ios.Getenv("COLORTERM"); {
	case !ios.ColorEnabled():
		r.SetColorProfile(termenv.Ascii)
	case ct == "truecolor" || ct == "24bit":
		r.SetColorProfile(termenv.TrueColor)
	default:
		r.SetColorProfile(termenv.ANSI256)
	}
	return r
}

// Colours used for values, by meaning.
const (
	ColorGood  = "2" // green: active, running, ok
	ColorWarn  = "3" // yellow: paused, starting
	ColorBad   = "1" // red: error, down
	ColorMuted = "8" // grey: exited, ids
)

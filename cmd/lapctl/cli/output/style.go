// Package output prints what commands return: tables fitted to the
// terminal (tab-separated rows when piped), key/value details, JSON and
// relative times. Styles come from a renderer built for the command's own
// streams, so output over SSH is styled for the SSH client.
package output

import (
	"io"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lapctl/iostreams"
)

// Renderer styles a command's output for ios.Out. The colour profile is
// decided from ios (terminal, NO_COLOR, TERM, COLORTERM), never from the
// process's own environment, and the terminal is asked nothing (a query
// would read the command's stdin).
type Renderer struct {
	Profile colorprofile.Profile
}

// NewRenderer decides the profile for ios: plain text when colour is off.
func NewRenderer(ios *iostreams.IOStreams) *Renderer {
	switch ct := ios.Getenv("COLORTERM"); {
	case !ios.ColorEnabled():
		return &Renderer{Profile: colorprofile.NoTTY}
	case ct == "truecolor" || ct == "24bit":
		return &Renderer{Profile: colorprofile.TrueColor}
	default:
		return &Renderer{Profile: colorprofile.ANSI256}
	}
}

// NewStyle is a new style; what it renders is fitted to the profile by
// Writer.
func (r *Renderer) NewStyle() lipgloss.Style { return lipgloss.NewStyle() }

// Writer writes styled text to w in r's profile (escapes dropped or
// colours downsampled as the profile needs).
func (r *Renderer) Writer(w io.Writer) io.Writer {
	return &colorprofile.Writer{Forward: w, Profile: r.Profile}
}

// Colours used for values, by meaning.
const (
	ColorGood  = "2" // green: active, running, ok
	ColorWarn  = "3" // yellow: paused, starting
	ColorBad   = "1" // red: error, down
	ColorMuted = "8" // grey: exited, ids
)

package output

import (
	"image/color"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"lapctl/iostreams"
)

// Detail prints one object as aligned "key: value" lines, with long or
// multi-line values (prompts, requirements) as indented blocks after them.
type Detail struct {
	io     *iostreams.IOStreams
	fields []field
	blocks []field
}

type field struct {
	key, value, color string
}

// NewDetail starts a detail view on ios.
func NewDetail(ios *iostreams.IOStreams) *Detail { return &Detail{io: ios} }

// Add adds a one-line field; an empty value is left out.
func (d *Detail) Add(key, value string) { d.AddColor(key, value, "") }

// AddColor adds a one-line field shown in color on a terminal.
func (d *Detail) AddColor(key, value, color string) {
	if value != "" {
		d.fields = append(d.fields, field{key, value, color})
	}
}

// Block adds a multi-line value printed after the fields; empty is left out.
func (d *Detail) Block(key, value string) {
	if strings.TrimSpace(value) != "" {
		d.blocks = append(d.blocks, field{key: key, value: strings.TrimRight(value, "\n")})
	}
}

// Render prints the fields then the blocks.
func (d *Detail) Render() error {
	r := NewRenderer(d.io)
	keyStyle := r.NewStyle().Bold(true)
	pad := 0
	for _, f := range d.fields {
		pad = max(pad, ansi.StringWidth(f.key)+1)
	}
	var b strings.Builder
	for _, f := range d.fields {
		label := f.key + ":"
		b.WriteString(keyStyle.Render(label))
		b.WriteString(strings.Repeat(" ", pad-ansi.StringWidth(label)+1))
		v := f.value
		if f.color != "" {
			v = r.NewStyle().Foreground(lipglossColor(f.color)).Render(v)
		}
		b.WriteString(v)
		b.WriteByte('\n')
	}
	for _, blk := range d.blocks {
		b.WriteByte('\n')
		b.WriteString(keyStyle.Render(blk.key + ":"))
		b.WriteByte('\n')
		for _, line := range strings.Split(blk.value, "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	_, err := io.WriteString(r.Writer(d.io.Out), b.String())
	return err
}

func lipglossColor(c string) color.Color { return lipgloss.Color(c) }

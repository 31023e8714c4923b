package forms

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"lapctl/assets"
)

// pick turns a palette colour into the variant for the background.
func pick(dark bool) func(assets.Color) color.Color {
	return func(c assets.Color) color.Color { return lipgloss.Color(c.Hex(dark)) }
}

// Theme builds huh styles from a palette for a dark or light background.
// The background is what the program learnt from its own terminal (over
// SSH, the client's); the colour profile (NO_COLOR gives plain text) is
// applied by Bubble Tea when it writes. The console reuses it for its own
// huh prompts.
func Theme(dark bool, p assets.Palette) *huh.Styles {
	adaptive := pick(dark)
	var (
		primary   = adaptive(p.Primary)
		secondary = adaptive(p.Secondary)
		accent    = adaptive(p.Accent)
		text      = adaptive(p.Text)
		muted     = adaptive(p.Muted)
		subtle    = adaptive(p.Subtle)
		selection = adaptive(p.Selection)
		success   = adaptive(p.Success)
		bad       = adaptive(p.Error)
	)
	s := lipgloss.NewStyle
	var t huh.Styles
	t.Form.Base = s()
	t.Group.Base = s()
	t.FieldSeparator = s().SetString("\n\n")

	button := s().Padding(0, 2).MarginRight(1)
	f := &t.Focused
	f.Base = s().PaddingLeft(1).BorderStyle(lipgloss.ThickBorder()).BorderLeft(true).BorderForeground(primary)
	f.Card = f.Base
	f.Title = s().Foreground(primary).Bold(true)
	f.NoteTitle = s().Foreground(primary).Bold(true).MarginBottom(1)
	f.Description = s().Foreground(muted)
	f.ErrorIndicator = s().Foreground(bad).SetString(" *")
	f.ErrorMessage = s().Foreground(bad)
	f.SelectSelector = s().Foreground(accent).SetString("> ")
	f.NextIndicator = s().Foreground(accent).MarginLeft(1).SetString("→")
	f.PrevIndicator = s().Foreground(accent).MarginRight(1).SetString("←")
	f.Option = s().Foreground(text)
	f.Directory = s().Foreground(primary)
	f.File = s().Foreground(text)
	f.MultiSelectSelector = s().Foreground(accent).SetString("> ")
	f.SelectedOption = s().Foreground(secondary)
	// The prefixes are ASCII so a NO_COLOR terminal still tells chosen
	// options from the others.
	f.SelectedPrefix = s().Foreground(success).SetString("[x] ")
	f.UnselectedOption = s().Foreground(text)
	f.UnselectedPrefix = s().Foreground(muted).SetString("[ ] ")
	f.TextInput.Cursor = s().Foreground(accent)
	f.TextInput.CursorText = s()
	f.TextInput.Placeholder = s().Foreground(muted)
	f.TextInput.Prompt = s().Foreground(accent)
	f.TextInput.Text = s().Foreground(text)
	f.FocusedButton = button.Foreground(text).Background(selection).Bold(true)
	f.BlurredButton = button.Foreground(muted)
	f.Next = f.FocusedButton

	t.Blurred = t.Focused
	t.Blurred.Base = t.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = s().Foreground(secondary)
	t.Blurred.MultiSelectSelector = s().SetString("  ")
	t.Blurred.NextIndicator = s()
	t.Blurred.PrevIndicator = s()

	t.Group.Title = f.Title
	t.Group.Description = f.Description

	t.Help = help.Styles{
		Ellipsis:       s().Foreground(subtle),
		ShortKey:       s().Foreground(muted),
		ShortDesc:      s().Foreground(subtle),
		ShortSeparator: s().Foreground(subtle),
		FullKey:        s().Foreground(muted),
		FullDesc:       s().Foreground(subtle),
		FullSeparator:  s().Foreground(subtle),
	}
	return &t
}

// styles are the builder's own styles, from the same palette and background
// as its huh theme.
type styles struct {
	Title    lipgloss.Style
	Step     lipgloss.Style
	StepDone lipgloss.Style
	StepTodo lipgloss.Style
	Label    lipgloss.Style
	Text     lipgloss.Style
	Muted    lipgloss.Style
	Key      lipgloss.Style
	Error    lipgloss.Style
	Warning  lipgloss.Style
	Success  lipgloss.Style
	Selected lipgloss.Style
	Box      lipgloss.Style
}

func newStyles(dark bool, p assets.Palette) styles {
	s := lipgloss.NewStyle
	adaptive := pick(dark)
	return styles{
		Title:    s().Foreground(adaptive(p.Primary)).Bold(true),
		Step:     s().Foreground(adaptive(p.Primary)).Bold(true),
		StepDone: s().Foreground(adaptive(p.Text)),
		StepTodo: s().Foreground(adaptive(p.Muted)),
		Label:    s().Foreground(adaptive(p.Secondary)).Bold(true),
		Text:     s().Foreground(adaptive(p.Text)),
		Muted:    s().Foreground(adaptive(p.Muted)),
		Key:      s().Foreground(adaptive(p.Accent)),
		Error:    s().Foreground(adaptive(p.Error)),
		Warning:  s().Foreground(adaptive(p.Warning)),
		Success:  s().Foreground(adaptive(p.Success)),
		Selected: s().Foreground(adaptive(p.Text)).Background(adaptive(p.Selection)),
		Box:      s().Border(lipgloss.NormalBorder()).BorderForeground(adaptive(p.Subtle)).Padding(0, 1),
	}
}

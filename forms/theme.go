package forms

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"lapctl/assets"
)

// adaptive turns a palette colour into a lipgloss colour; the renderer
// picks the light or dark variant from the terminal's background.
func adaptive(c assets.Color) lipgloss.AdaptiveColor {
	return lipgloss.AdaptiveColor{Light: c.Light, Dark: c.Dark}
}

// Theme builds a huh theme from a palette. Every style comes from r, never
// from lipgloss's package-level renderer, so a form served over SSH detects
// the colours of the client's terminal, and an ASCII renderer (NO_COLOR)
// yields plain text. The console reuses it for its own huh prompts.
func Theme(r *lipgloss.Renderer, p assets.Palette) *huh.Theme {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
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
	s := r.NewStyle
	var t huh.Theme
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

// styles are the builder's own styles, from the same palette and renderer
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

func newStyles(r *lipgloss.Renderer, p assets.Palette) styles {
	s := r.NewStyle
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

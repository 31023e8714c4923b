// Package styles builds every console style from a theme palette and the
// terminal's background (dark or light). Nothing here is a package-level
// style: over SSH each session has its own background, learnt from the
// session's terminal through the program (tea.BackgroundColorMsg). Colour
// profiles are not decided here: Bubble Tea downsamples what it writes.
// It imports no lapctl package but assets.
package styles

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"lapctl/assets"
)

// Styles are the console's styles, grouped by the part of the screen
// they draw.
type Styles struct {
	// Dark says which variant of each palette colour the styles use.
	Dark    bool
	Palette assets.Palette

	App lipgloss.Style

	Header struct {
		Bar      lipgloss.Style
		Brand    lipgloss.Style
		Label    lipgloss.Style
		Value    lipgloss.Style
		Sep      lipgloss.Style
		HealthOK lipgloss.Style
		HealthNo lipgloss.Style
		HealthNA lipgloss.Style
	}

	Tabs struct {
		Active   lipgloss.Style
		Inactive lipgloss.Style
		Bar      lipgloss.Style
	}

	Table table.Styles

	Status struct {
		Info    lipgloss.Style
		Success lipgloss.Style
		Error   lipgloss.Style
		Warning lipgloss.Style
	}

	Title   lipgloss.Style
	Muted   lipgloss.Style
	Accent  lipgloss.Style
	Spinner lipgloss.Style

	Detail struct {
		Section lipgloss.Style
		Label   lipgloss.Style
		Value   lipgloss.Style
		Secret  lipgloss.Style
	}

	AgentStatus struct {
		Active lipgloss.Style
		Paused lipgloss.Style
	}

	Dialog struct {
		Box    lipgloss.Style
		Title  lipgloss.Style
		Body   lipgloss.Style
		Prompt lipgloss.Style
	}

	Chat struct {
		User      lipgloss.Style
		Assistant lipgloss.Style
	}

	Input struct {
		Prompt      lipgloss.Style
		Text        lipgloss.Style
		Placeholder lipgloss.Style
	}

	Help help.Styles

	TextareaFocused textarea.StyleState
	TextareaBlurred textarea.StyleState
	// TextareaFrame is the border drawn around a text area, by focus. It
	// is not the text area's Base: bubbles v2 lets every line style
	// inherit Base, border included.
	TextareaFrame struct {
		Focused lipgloss.Style
		Blurred lipgloss.Style
	}
}

// cursorMark puts "›" in place of a row's leading space.
func cursorMark(row string) string {
	if strings.HasPrefix(row, " ") {
		return "›" + row[1:]
	}
	return row
}

// New builds the styles for a background (dark or light) and palette.
func New(dark bool, p assets.Palette) *Styles {
	color := func(c assets.Color) color.Color { return lipgloss.Color(c.Hex(dark)) }
	var (
		primary   = color(p.Primary)
		secondary = color(p.Secondary)
		accent    = color(p.Accent)
		text      = color(p.Text)
		muted     = color(p.Muted)
		subtle    = color(p.Subtle)
		selection = color(p.Selection)
		success   = color(p.Success)
		warning   = color(p.Warning)
		errc      = color(p.Error)
	)
	s := &Styles{Dark: dark, Palette: p}
	s.App = lipgloss.NewStyle()

	s.Header.Bar = lipgloss.NewStyle()
	s.Header.Brand = lipgloss.NewStyle().Bold(true).Foreground(primary)
	s.Header.Label = lipgloss.NewStyle().Foreground(muted)
	s.Header.Value = lipgloss.NewStyle().Foreground(text)
	s.Header.Sep = lipgloss.NewStyle().Foreground(subtle)
	s.Header.HealthOK = lipgloss.NewStyle().Foreground(success)
	s.Header.HealthNo = lipgloss.NewStyle().Foreground(errc)
	s.Header.HealthNA = lipgloss.NewStyle().Foreground(muted)

	s.Tabs.Active = lipgloss.NewStyle().Bold(true).Foreground(primary).Underline(true)
	s.Tabs.Inactive = lipgloss.NewStyle().Foreground(muted)
	s.Tabs.Bar = lipgloss.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(subtle)

	s.Table = table.Styles{
		Header: lipgloss.NewStyle().Bold(true).Foreground(secondary).Padding(0, 1),
		Cell:   lipgloss.NewStyle().Padding(0, 1),
		// The marker replaces the first cell's left padding, so the
		// cursor row shows without colour too (NO_COLOR, ASCII) and
		// keeps its width.
		Selected: lipgloss.NewStyle().Bold(true).Foreground(primary).Background(selection).Transform(cursorMark),
	}

	s.Status.Info = lipgloss.NewStyle().Foreground(muted)
	s.Status.Success = lipgloss.NewStyle().Foreground(success)
	s.Status.Error = lipgloss.NewStyle().Foreground(errc)
	s.Status.Warning = lipgloss.NewStyle().Foreground(warning)

	s.Title = lipgloss.NewStyle().Bold(true).Foreground(primary)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Accent = lipgloss.NewStyle().Foreground(accent)
	s.Spinner = lipgloss.NewStyle().Foreground(accent)

	s.Detail.Section = lipgloss.NewStyle().Bold(true).Foreground(secondary)
	s.Detail.Label = lipgloss.NewStyle().Foreground(muted)
	s.Detail.Value = lipgloss.NewStyle().Foreground(text)
	s.Detail.Secret = lipgloss.NewStyle().Foreground(warning)

	s.AgentStatus.Active = lipgloss.NewStyle().Foreground(success)
	s.AgentStatus.Paused = lipgloss.NewStyle().Foreground(warning)

	s.Dialog.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(warning).Padding(0, 1)
	s.Dialog.Title = lipgloss.NewStyle().Bold(true).Foreground(warning)
	s.Dialog.Body = lipgloss.NewStyle().Foreground(text)
	s.Dialog.Prompt = lipgloss.NewStyle().Foreground(muted)

	s.Chat.User = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Chat.Assistant = lipgloss.NewStyle().Bold(true).Foreground(secondary)

	s.Input.Prompt = lipgloss.NewStyle().Foreground(accent)
	s.Input.Text = lipgloss.NewStyle().Foreground(text)
	s.Input.Placeholder = lipgloss.NewStyle().Foreground(muted)

	s.Help = help.Styles{
		Ellipsis:       lipgloss.NewStyle().Foreground(subtle),
		ShortKey:       lipgloss.NewStyle().Foreground(accent),
		ShortDesc:      lipgloss.NewStyle().Foreground(muted),
		ShortSeparator: lipgloss.NewStyle().Foreground(subtle),
		FullKey:        lipgloss.NewStyle().Foreground(accent),
		FullDesc:       lipgloss.NewStyle().Foreground(muted),
		FullSeparator:  lipgloss.NewStyle().Foreground(subtle),
	}

	s.TextareaFocused = textarea.StyleState{
		Base:             lipgloss.NewStyle(),
		CursorLine:       lipgloss.NewStyle().Background(selection),
		CursorLineNumber: lipgloss.NewStyle().Foreground(muted),
		EndOfBuffer:      lipgloss.NewStyle().Foreground(subtle),
		LineNumber:       lipgloss.NewStyle().Foreground(subtle),
		Placeholder:      lipgloss.NewStyle().Foreground(muted),
		Prompt:           lipgloss.NewStyle().Foreground(accent),
		Text:             lipgloss.NewStyle().Foreground(text),
	}
	s.TextareaBlurred = s.TextareaFocused
	s.TextareaBlurred.CursorLine = lipgloss.NewStyle()
	s.TextareaFrame.Focused = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(primary)
	s.TextareaFrame.Blurred = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(subtle)
	return s
}

// StyleInput gives a text input the console's prompt, text and
// placeholder styles; prompt overrides the prompt's (nil keeps Input's).
func (s *Styles) StyleInput(ti *textinput.Model, prompt *lipgloss.Style) {
	st := ti.Styles()
	p := s.Input.Prompt
	if prompt != nil {
		p = *prompt
	}
	for _, state := range []*textinput.StyleState{&st.Focused, &st.Blurred} {
		state.Prompt, state.Text, state.Placeholder = p, s.Input.Text, s.Input.Placeholder
	}
	st.Cursor.Color = s.Input.Prompt.GetForeground()
	ti.SetStyles(st)
}

// Framed draws a text area in its border, by focus.
func (s *Styles) Framed(ta textarea.Model) string {
	frame := s.TextareaFrame.Blurred
	if ta.Focused() {
		frame = s.TextareaFrame.Focused
	}
	return frame.Render(ta.View())
}

// StyleTextarea gives a text area the console's focused and blurred
// styles.
func (s *Styles) StyleTextarea(ta *textarea.Model) {
	st := ta.Styles()
	st.Focused, st.Blurred = s.TextareaFocused, s.TextareaBlurred
	ta.SetStyles(st)
}

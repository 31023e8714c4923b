// Package styles builds every console style from one lipgloss renderer and
// a theme palette. Nothing here is a package-level style: over SSH each
// session has its own renderer (colour profile, dark or light background),
// so styles must be made per renderer.
package styles

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/lipgloss"

	"lapctl/assets"
)

// Styles are the console's styles, grouped by the part of the screen
// they draw.
type Styles struct {
	Renderer *lipgloss.Renderer
	Palette  assets.Palette

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

	TextareaFocused textarea.Style
	TextareaBlurred textarea.Style
}

// cursorMark puts "›" in place of a row's leading space.
func cursorMark(row string) string {
	if strings.HasPrefix(row, " ") {
		return "›" + row[1:]
	}
	return row
}

func color(c assets.Color) lipgloss.AdaptiveColor {
	return lipgloss.AdaptiveColor{Light: c.Light, Dark: c.Dark}
}

// New builds the styles for one renderer and palette.
func New(r *lipgloss.Renderer, p assets.Palette) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
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
	s := &Styles{Renderer: r, Palette: p}
	s.App = r.NewStyle()

	s.Header.Bar = r.NewStyle()
	s.Header.Brand = r.NewStyle().Bold(true).Foreground(primary)
	s.Header.Label = r.NewStyle().Foreground(muted)
	s.Header.Value = r.NewStyle().Foreground(text)
	s.Header.Sep = r.NewStyle().Foreground(subtle)
	s.Header.HealthOK = r.NewStyle().Foreground(success)
	s.Header.HealthNo = r.NewStyle().Foreground(errc)
	s.Header.HealthNA = r.NewStyle().Foreground(muted)

	s.Tabs.Active = r.NewStyle().Bold(true).Foreground(primary).Underline(true)
	s.Tabs.Inactive = r.NewStyle().Foreground(muted)
	s.Tabs.Bar = r.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(subtle)

	s.Table = table.Styles{
		Header: r.NewStyle().Bold(true).Foreground(secondary).Padding(0, 1),
		Cell:   r.NewStyle().Padding(0, 1),
		// The marker replaces the first cell's left padding, so the
		// cursor row shows without colour too (NO_COLOR, ASCII) and
		// keeps its width.
		Selected: r.NewStyle().Bold(true).Foreground(primary).Background(selection).Transform(cursorMark),
	}

	s.Status.Info = r.NewStyle().Foreground(muted)
	s.Status.Success = r.NewStyle().Foreground(success)
	s.Status.Error = r.NewStyle().Foreground(errc)
	s.Status.Warning = r.NewStyle().Foreground(warning)

	s.Title = r.NewStyle().Bold(true).Foreground(primary)
	s.Muted = r.NewStyle().Foreground(muted)
	s.Accent = r.NewStyle().Foreground(accent)
	s.Spinner = r.NewStyle().Foreground(accent)

	s.Detail.Section = r.NewStyle().Bold(true).Foreground(secondary)
	s.Detail.Label = r.NewStyle().Foreground(muted)
	s.Detail.Value = r.NewStyle().Foreground(text)
	s.Detail.Secret = r.NewStyle().Foreground(warning)

	s.AgentStatus.Active = r.NewStyle().Foreground(success)
	s.AgentStatus.Paused = r.NewStyle().Foreground(warning)

	s.Dialog.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(warning).Padding(0, 1)
	s.Dialog.Title = r.NewStyle().Bold(true).Foreground(warning)
	s.Dialog.Body = r.NewStyle().Foreground(text)
	s.Dialog.Prompt = r.NewStyle().Foreground(muted)

	s.Chat.User = r.NewStyle().Bold(true).Foreground(accent)
	s.Chat.Assistant = r.NewStyle().Bold(true).Foreground(secondary)

	s.Input.Prompt = r.NewStyle().Foreground(accent)
	s.Input.Text = r.NewStyle().Foreground(text)
	s.Input.Placeholder = r.NewStyle().Foreground(muted)

	s.Help = help.Styles{
		Ellipsis:       r.NewStyle().Foreground(subtle),
		ShortKey:       r.NewStyle().Foreground(accent),
		ShortDesc:      r.NewStyle().Foreground(muted),
		ShortSeparator: r.NewStyle().Foreground(subtle),
		FullKey:        r.NewStyle().Foreground(accent),
		FullDesc:       r.NewStyle().Foreground(muted),
		FullSeparator:  r.NewStyle().Foreground(subtle),
	}

	s.TextareaFocused = textarea.Style{
		Base:             r.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(primary),
		CursorLine:       r.NewStyle().Background(selection),
		CursorLineNumber: r.NewStyle().Foreground(muted),
		EndOfBuffer:      r.NewStyle().Foreground(subtle),
		LineNumber:       r.NewStyle().Foreground(subtle),
		Placeholder:      r.NewStyle().Foreground(muted),
		Prompt:           r.NewStyle().Foreground(accent),
		Text:             r.NewStyle().Foreground(text),
	}
	s.TextareaBlurred = s.TextareaFocused
	s.TextareaBlurred.Base = r.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(subtle)
	s.TextareaBlurred.CursorLine = r.NewStyle()
	return s
}

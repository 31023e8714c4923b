package common

import (
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"lapctl/tui/styles"
)

// NewTable is a page's focused table, in the console's style and moved
// with the console's keys.
func NewTable(c Common, cols []table.Column) table.Model {
	k := c.Keys
	return table.New(
		table.WithColumns(cols),
		table.WithFocused(true),
		table.WithStyles(c.Styles.Table),
		table.WithKeyMap(table.KeyMap{
			LineUp: k.Up, LineDown: k.Down, PageUp: k.PageUp, PageDown: k.PageDown,
			GotoTop: k.Top, GotoBottom: k.Bottom,
		}),
	)
}

// Selected is a copy of the item of list under t's cursor, or nil; the
// page's list holds the rows' items in the table's order.
func Selected[T any](t table.Model, list []T) *T {
	i := t.Cursor()
	if i < 0 || i >= len(list) {
		return nil
	}
	v := list[i]
	return &v
}

// EmptyTable stands where a page's table would: a blank header row, so
// the page keeps its shape, then msg.
func EmptyTable(st *styles.Styles, msg string) string {
	return st.Table.Header.Render(" ") + "\n" + st.Muted.Render("  "+msg)
}

// Spinner shows that a page has work in flight. It turns only while the
// page is busy: the first tick after the work ends stops it, so an idle
// console does not redraw.
type Spinner struct {
	m        spinner.Model
	spinning bool
}

// NewSpinner is a spinner in the console's style.
func NewSpinner(st *styles.Styles) Spinner {
	return Spinner{m: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Spinner))}
}

// Start returns cmd with the spinner's first tick, unless it already
// turns.
func (s *Spinner) Start(cmd tea.Cmd) tea.Cmd {
	if cmd == nil || s.spinning {
		return cmd
	}
	s.spinning = true
	return tea.Batch(cmd, s.m.Tick)
}

// OnTick takes a tick while the page is busy or stops turning. ok is
// false for another spinner's tick (a form's own), which the page passes
// on.
func (s *Spinner) OnTick(msg spinner.TickMsg, busy bool) (cmd tea.Cmd, ok bool) {
	if msg.ID != s.m.ID() {
		return nil, false
	}
	if !busy {
		s.spinning = false
		return nil, true
	}
	s.m, cmd = s.m.Update(msg)
	return cmd, true
}

// View is the spinner's frame.
func (s *Spinner) View() string { return s.m.View() }

// Heading is a page's first line, cut to width: title, then the spinner
// while busy.
func (s *Spinner) Heading(title string, busy bool, width int) string {
	if busy {
		title += " " + s.View()
	}
	return Truncate(title, width)
}

// Restyle re-applies the shared styles to a page's table and spinner,
// which keep copies: the root rebuilds the styles when the terminal
// reports its background (tea.BackgroundColorMsg).
func Restyle(st *styles.Styles, t *table.Model, s *Spinner) {
	t.SetStyles(st.Table)
	s.m.Style = st.Spinner
}

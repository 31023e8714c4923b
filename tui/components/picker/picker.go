// Package picker is the console's small chooser: a titled list in a box,
// one item picked with enter, esc to cancel. The agents page uses it to
// offer joining a live session or starting a new one.
package picker

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lapctl/tui/common"
)

var (
	pickKey   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	cancelKey = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
)

// Model is a chooser. It is inert until Open; a page that holds one
// routes its keys here while Active.
type Model struct {
	common.Common
	active bool
	title  string
	items  []string
	cursor int
	onPick func(i int) tea.Cmd
}

// New returns a closed chooser.
func New(c common.Common) *Model { return &Model{Common: c} }

// Open shows items under title, the cursor on the first; pick runs with
// the chosen item's index.
func (m *Model) Open(title string, items []string, pick func(i int) tea.Cmd) {
	m.active, m.title, m.items, m.cursor, m.onPick = true, title, items, 0, pick
}

// Active reports whether the chooser is showing.
func (m *Model) Active() bool { return m.active }

// Cursor is the index of the item under the cursor.
func (m *Model) Cursor() int { return m.cursor }

// Update handles a key while the chooser shows; other keys are ignored,
// so nothing behind it acts.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.active {
		return nil
	}
	switch {
	case key.Matches(k, m.Keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.Keys.Down):
		m.cursor = min(m.cursor+1, len(m.items)-1)
	case key.Matches(k, pickKey):
		m.active = false
		return m.onPick(m.cursor)
	case key.Matches(k, cancelKey), key.Matches(k, m.Keys.Back):
		m.active = false
		return common.StatusCmd(common.LevelInfo, "cancelled")
	}
	return nil
}

// View draws the chooser centred in the component's area. The current
// item is marked with "›" as well as by style, so it shows without
// colour (NO_COLOR).
func (m *Model) View() string {
	st := m.Styles
	w := min(max(m.Width-4, 24), 72)
	lines := []string{st.Dialog.Title.Render(m.title), ""}
	for i, it := range m.items {
		row := common.Truncate("  "+it, w-2)
		if i == m.cursor {
			row = st.Table.Selected.Render(common.Truncate("› "+it, w-2))
		} else {
			row = st.Dialog.Body.Render(row)
		}
		lines = append(lines, row)
	}
	lines = append(lines, "", st.Dialog.Prompt.Render(strings.Join([]string{"↑/↓ move", "enter choose", "esc cancel"}, "  ·  ")))
	box := st.Dialog.Box.Width(w + st.Dialog.Box.GetHorizontalBorderSize()).Render(lipgloss.JoinVertical(lipgloss.Left, lines...))
	return lipgloss.Place(m.Width, m.Height, lipgloss.Center, lipgloss.Center, box)
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.Keys.Up, m.Keys.Down, pickKey, cancelKey}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

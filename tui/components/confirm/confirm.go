// Package confirm is the console's yes/no dialog, shown before anything
// that cannot be undone.
package confirm

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lapctl/tui/common"
)

// Model is a confirm dialog. It is inert until Open; a page that holds
// one routes its keys here while Active.
type Model struct {
	common.Common
	active bool
	title  string
	body   string
	onYes  tea.Cmd
}

// New returns a closed dialog.
func New(c common.Common) *Model { return &Model{Common: c} }

// Open shows the dialog; yes runs when the operator confirms.
func (m *Model) Open(title, body string, yes tea.Cmd) {
	m.active, m.title, m.body, m.onYes = true, title, body, yes
}

// Active reports whether the dialog is showing.
func (m *Model) Active() bool { return m.active }

// Update handles a key while the dialog is showing: yes returns the
// confirmed command, no (or esc) closes it, anything else is ignored so a
// stray key never confirms.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.active {
		return nil
	}
	switch {
	case key.Matches(k, m.Keys.Yes):
		m.active = false
		return m.onYes
	case key.Matches(k, m.Keys.No), key.Matches(k, m.Keys.Back):
		m.active = false
		return common.StatusCmd(common.LevelInfo, "cancelled")
	}
	return nil
}

// View draws the dialog centred in the component's area.
func (m *Model) View() string {
	st := m.Styles
	w := min(max(m.Width-4, 20), 64)
	box := st.Dialog.Box.Width(w + st.Dialog.Box.GetHorizontalBorderSize()).Render(lipgloss.JoinVertical(lipgloss.Left,
		st.Dialog.Title.Render(m.title),
		"",
		st.Dialog.Body.Width(w-2).Render(m.body),
		"",
		st.Dialog.Prompt.Render(m.Keys.Yes.Help().Key+" "+m.Keys.Yes.Help().Desc+"  ·  "+m.Keys.No.Help().Key+" "+m.Keys.No.Help().Desc),
	))
	return lipgloss.Place(m.Width, m.Height, lipgloss.Center, lipgloss.Center, box)
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.Keys.Yes, m.Keys.No} }

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

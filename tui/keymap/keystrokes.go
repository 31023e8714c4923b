package keymap

import tea "github.com/charmbracelet/bubbletea"

// Keystrokes splits a burst of typed characters into one key message per
// character. Bubble Tea delivers the characters of one terminal read as a
// single message ("jj"), which matches no binding: over SSH, from a fast
// typist or from key repeat, keys would be lost. Pastes stay whole, and a
// message that is not a burst comes back as it is.
func Keystrokes(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || msg.Paste || len(msg.Runes) < 2 {
		return []tea.KeyMsg{msg}
	}
	keys := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		keys[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
	}
	return keys
}

// EachKeystroke hands update every keystroke of msg in turn and batches
// the commands they return.
func EachKeystroke(msg tea.KeyMsg, update func(tea.KeyMsg) tea.Cmd) tea.Cmd {
	keys := Keystrokes(msg)
	if len(keys) == 1 {
		return update(keys[0])
	}
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		cmds = append(cmds, update(k))
	}
	return tea.Batch(cmds...)
}

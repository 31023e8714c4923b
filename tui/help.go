package tui

import (
	"charm.land/bubbles/v2/key"

	"lapctl/tui/common"
	"lapctl/tui/keymap"
)

// helpKeys is the footer's keymap: the visible page's keys, then the
// global ones unless the page is taking text (where they do not apply).
type helpKeys struct {
	page      common.Page
	global    *keymap.KeyMap
	capturing bool
	full      bool
}

// helpKey is the help toggle, saying what pressing it does now.
func (h helpKeys) helpKey() key.Binding {
	b := h.global.Help
	if h.full {
		b.SetHelp(b.Help().Key, "fewer keys")
	}
	return b
}

func (h helpKeys) globals() []key.Binding {
	if h.capturing {
		return nil
	}
	return []key.Binding{h.global.NextPage, h.helpKey(), h.global.Quit}
}

// ShortHelp implements help.KeyMap.
func (h helpKeys) ShortHelp() []key.Binding {
	return append(h.page.ShortHelp(), h.globals()...)
}

// FullHelp implements help.KeyMap.
func (h helpKeys) FullHelp() [][]key.Binding {
	cols := h.page.FullHelp()
	if h.capturing {
		return cols
	}
	k := h.global
	pages := key.NewBinding(
		key.WithKeys(append(append(k.Agents.Keys(), k.Sessions.Keys()...), k.Skills.Keys()...)...),
		key.WithHelp(k.Agents.Help().Key+"/"+k.Sessions.Help().Key+"/"+k.Skills.Help().Key, "go to page"))
	return append(cols, []key.Binding{pages, k.NextPage, k.PrevPage, k.Refresh, k.Command, k.CopyID, k.Raw, h.helpKey(), k.Quit})
}

package agents

import (
	"charm.land/bubbles/v2/key"

	"lapctl/tui/common"
)

var (
	applyKey = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply"))
	clearKey = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))
)

// ShortHelp implements help.KeyMap.
func (p *Page) ShortHelp() []key.Binding {
	k := p.Keys
	switch {
	case p.mode == modeBuilder:
		// The builder draws its own key help.
		return nil
	case p.confirm.Active():
		return p.confirm.ShortHelp()
	case p.picker.Active():
		return p.picker.ShortHelp()
	case p.filtering:
		return []key.Binding{applyKey, clearKey}
	case p.mode == modeDetail:
		return []key.Binding{k.Back, k.Reveal, k.Edit, k.Delete, p.startKey()}
	}
	return []key.Binding{k.Filter, k.Sort, k.Open, k.New, k.Delete, p.startKey()}
}

// startKey is attach for a TUI agent, start for an API one: the action
// the row's harness is for.
func (p *Page) startKey() key.Binding {
	if a := p.selected(); a != nil && common.IsTUI(a) {
		return p.Keys.Attach
	}
	return p.Keys.Start
}

// FullHelp implements help.KeyMap.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.Keys
	switch {
	case p.mode == modeBuilder, p.confirm.Active(), p.picker.Active(), p.filtering:
		return [][]key.Binding{p.ShortHelp()}
	case p.mode == modeDetail:
		return [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Back},
			{k.Reveal, k.Refresh},
			{k.Edit, k.Delete, k.Pause, k.Start, k.Attach},
		}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Filter, k.Sort, k.Reverse, k.Open, k.Back},
		{k.New, k.Edit, k.Delete, k.Pause, k.Start, k.Attach},
	}
}

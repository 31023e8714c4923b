package sessions

import "charm.land/bubbles/v2/key"

var scrollKeys = key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "scroll"))

// ShortHelp implements help.KeyMap.
func (p *Page) ShortHelp() []key.Binding {
	k := p.Keys
	switch {
	case p.confirm.Active():
		return p.confirm.ShortHelp()
	case p.chat != nil && p.chat.sendable:
		return []key.Binding{k.Submit, scrollKeys, k.Back}
	case p.chat != nil:
		return []key.Binding{k.Attach, k.Back}
	case p.detail != nil && hasTTY(&p.detail.sess):
		return []key.Binding{k.Attach, k.Refresh, scrollKeys, k.Back}
	case p.detail != nil:
		return []key.Binding{k.Send, k.Refresh, scrollKeys, k.Back}
	}
	if s := p.selected(); s != nil && hasTTY(s) {
		return []key.Binding{k.Open, k.Attach, k.Stop, k.Refresh}
	}
	return []key.Binding{k.Open, k.Send, k.Stop, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.Keys
	if p.confirm.Active() || p.chat != nil || p.detail != nil {
		return [][]key.Binding{p.ShortHelp()}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Attach, k.Send, k.Stop, k.Refresh},
	}
}

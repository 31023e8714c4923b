package skills

import "charm.land/bubbles/v2/key"

// ShortHelp implements help.KeyMap.
func (p *Page) ShortHelp() []key.Binding {
	k := p.Keys
	switch {
	case p.confirm.Active():
		return p.confirm.ShortHelp()
	case p.mode == modeForm:
		next := key.NewBinding(key.WithKeys(k.NextPage.Keys()...), key.WithHelp(k.NextPage.Help().Key, "next field"))
		return []key.Binding{k.Submit, next, k.Back}
	case p.mode == modeView:
		return []key.Binding{k.Back, k.Edit, k.Editor, k.Delete}
	}
	return []key.Binding{k.Open, k.New, k.Edit, k.Editor, k.Delete}
}

// FullHelp implements help.KeyMap.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.Keys
	if p.confirm.Active() || p.mode == modeForm {
		return [][]key.Binding{p.ShortHelp()}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.Refresh},
		{k.New, k.Edit, k.Editor, k.Delete},
	}
}

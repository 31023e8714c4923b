package agents

import "encoding/json"

// SelectedObject implements common.Selection: the agent as the server
// sent it (re-encoded only when the raw bytes were not kept).
func (p *Page) SelectedObject() (kind, id string, raw []byte, ok bool) {
	a := p.selected()
	if a == nil {
		return "", "", nil, false
	}
	raw = a.Raw
	if len(raw) == 0 {
		raw, _ = json.Marshal(a)
	}
	return "agent", a.ID, raw, true
}

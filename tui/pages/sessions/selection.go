package sessions

import "encoding/json"

// SelectedObject implements common.Selection: the session as the server
// sent it.
func (p *Page) SelectedObject() (kind, id string, raw []byte, ok bool) {
	s := p.selected()
	if s == nil {
		return "", "", nil, false
	}
	raw = s.Raw
	if len(raw) == 0 {
		raw, _ = json.Marshal(s)
	}
	return "session", s.ID, raw, true
}

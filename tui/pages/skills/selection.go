package skills

import "encoding/json"

// SelectedObject implements common.Selection. A skill keeps no raw
// bytes, so it is encoded from what was decoded.
func (p *Page) SelectedObject() (kind, id string, raw []byte, ok bool) {
	s := p.selected()
	if s == nil {
		return "", "", nil, false
	}
	raw, _ = json.Marshal(s)
	return "skill", s.ID, raw, true
}

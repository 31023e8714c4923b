package tui

import (
	"bytes"
	"encoding/json"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"go.yaml.in/yaml/v3"

	"lapctl/secret"
	"lapctl/tui/common"
)

// rawView is `y`: the selected object as the server sent it, in JSON or
// YAML, with every secret masked (secret.MaskDoc, as --json does).
type rawView struct {
	kind, id string
	doc      any
	yaml     bool
	vp       viewport.Model
}

var (
	rawToggleKey = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "json/yaml"))
	rawCloseKey  = key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "close"))
)

func newRawView(kind, id string, raw []byte, w, h int) (*rawView, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s %s: the server's JSON does not decode: %w", kind, id, err)
	}
	r := &rawView{kind: kind, id: id, doc: secret.MaskDoc(doc), vp: viewport.New()}
	r.setSize(w, h)
	r.render()
	return r, nil
}

func (r *rawView) setSize(w, h int) {
	r.vp.SetWidth(w)
	r.vp.SetHeight(max(h-1, 1))
}

func (r *rawView) render() {
	var out []byte
	if r.yaml {
		out, _ = yaml.Marshal(r.doc)
	} else {
		out, _ = json.MarshalIndent(r.doc, "", "  ")
	}
	r.vp.SetContent(string(out))
}

func (r *rawView) format() string {
	if r.yaml {
		return "YAML"
	}
	return "JSON"
}

// update handles a key; closed reports that the view should go.
func (r *rawView) update(msg tea.KeyPressMsg) (closed bool) {
	switch {
	case key.Matches(msg, rawCloseKey):
		return true
	case key.Matches(msg, rawToggleKey):
		r.yaml = !r.yaml
		r.render()
		return false
	}
	r.vp, _ = r.vp.Update(msg)
	return false
}

func (r *rawView) view(st *common.Common) string {
	title := st.Styles.Title.Render(fmt.Sprintf("%s %s · %s (secrets masked)", r.kind, r.id, r.format()))
	return title + "\n" + r.vp.View()
}

func (r *rawView) keys() []key.Binding { return []key.Binding{rawToggleKey, rawCloseKey} }

// openRaw opens the raw view on the visible page's selected object.
func (m *Model) openRaw() tea.Cmd {
	sel, ok := m.pages[m.active].(common.Selection)
	if !ok {
		return nil
	}
	kind, id, raw, ok := sel.SelectedObject()
	if !ok {
		m.setStatus(common.StatusMsg{Text: "nothing selected to show", Level: common.LevelWarning}, nil)
		return nil
	}
	h := max(m.height-headerHeight-statusHeight-1, 3)
	r, err := newRawView(kind, id, raw, m.width, h)
	if err != nil {
		m.setStatus(common.StatusMsg{Text: err.Error(), Level: common.LevelError}, nil)
		return nil
	}
	m.raw = r
	m.layout()
	return nil
}

// copySelectedID sends the selected id to the terminal's clipboard with
// OSC 52, written to the program's own output, so it reaches the
// operator's terminal over SSH too. The terminal may refuse it, which
// the program cannot see, so the flash says what was sent.
func (m *Model) copySelectedID() tea.Cmd {
	sel, ok := m.pages[m.active].(common.Selection)
	if !ok {
		return nil
	}
	kind, id, _, ok := sel.SelectedObject()
	if !ok {
		m.setStatus(common.StatusMsg{Text: "nothing selected to copy", Level: common.LevelWarning}, nil)
		return nil
	}
	m.setStatus(common.StatusMsg{Text: fmt.Sprintf("%s id %s sent to the clipboard (OSC 52)", kind, id), Level: common.LevelSuccess}, nil)
	return tea.SetClipboard(id)
}

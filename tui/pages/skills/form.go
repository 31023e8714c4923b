package skills

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
)

// form creates or edits a skill: name and description inputs and the
// content in a text area.
type form struct {
	p       *Page
	edit    *spec.Skill
	name    textinput.Model
	desc    textinput.Model
	content textarea.Model
	focus   int
	saving  bool
}

const fieldCount = 3

func (p *Page) openForm(edit *spec.Skill) tea.Cmd {
	st := p.Styles
	input := func(prompt, placeholder string) textinput.Model {
		t := textinput.New()
		t.Prompt = prompt
		t.Placeholder = placeholder
		st.StyleInput(&t, &st.Detail.Label)
		return t
	}
	f := &form{p: p, edit: edit,
		name: input("Name         ", "a short name agents list it by"),
		desc: input("Description  ", "optional"),
	}
	f.content = textarea.New()
	st.StyleTextarea(&f.content)
	f.content.Placeholder = "The instructions appended to an agent's prompt (markdown)."
	f.content.ShowLineNumbers = false
	f.content.Prompt = ""
	f.content.CharLimit = 0
	f.content.MaxHeight = 0
	if edit != nil {
		f.name.SetValue(edit.Name)
		f.desc.SetValue(edit.Description)
		f.content.SetValue(edit.Content)
	}
	p.form = f
	p.mode = modeForm
	f.setSize(p.Width, p.Height)
	return f.setFocus(0)
}

func (f *form) setSize(w, h int) {
	f.name.SetWidth(max(w-16, 10))
	f.desc.SetWidth(max(w-16, 10))
	f.content.SetWidth(max(w-2, 10)) // inside the border
	// Title, name, description, "Content" label, and the text area's
	// border.
	f.content.SetHeight(max(h-4-2, 3))
}

func (f *form) setFocus(i int) tea.Cmd {
	f.focus = (i + fieldCount) % fieldCount
	f.name.Blur()
	f.desc.Blur()
	f.content.Blur()
	switch f.focus {
	case 0:
		return f.name.Focus()
	case 1:
		return f.desc.Focus()
	}
	return f.content.Focus()
}

func (f *form) close() {
	f.p.form = nil
	f.p.mode = modeList
	if f.p.viewing != nil {
		f.p.mode = modeView
	}
}

func (f *form) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := f.p.Keys
	switch {
	case key.Matches(msg, k.Back):
		f.close()
		return common.StatusCmd(common.LevelInfo, "skill not saved")
	case key.Matches(msg, k.Submit):
		return f.submit()
	case key.Matches(msg, k.NextPage):
		return f.setFocus(f.focus + 1)
	case key.Matches(msg, k.PrevPage):
		return f.setFocus(f.focus - 1)
	}
	return f.update(msg)
}

func (f *form) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch f.focus {
	case 0:
		f.name, cmd = f.name.Update(msg)
	case 1:
		f.desc, cmd = f.desc.Update(msg)
	default:
		f.content, cmd = f.content.Update(msg)
	}
	return cmd
}

// submit validates with the shared rules first, so a blank name is
// reported here rather than by a round trip.
func (f *form) submit() tea.Cmd {
	if f.saving {
		return nil
	}
	p := f.p
	s := spec.SkillSpec{Name: f.name.Value(), Description: f.desc.Value(), Content: f.content.Value(), OwnerID: p.OwnerID}
	if err := s.Validate(); err != nil {
		return common.ErrorCmd("skill", err)
	}
	f.saving = true
	ctx, c := p.Context(), p.Client
	if f.edit == nil {
		return act(func() tea.Msg {
			sk, err := c.CreateSkill(ctx, &s)
			return SavedMsg{Skill: sk, Created: true, Err: err}
		})
	}
	patch := spec.SkillPatch{}
	if s.Name != f.edit.Name {
		patch.Name = &s.Name
	}
	if s.Description != f.edit.Description {
		patch.Description = &s.Description
	}
	if s.Content != f.edit.Content {
		patch.Content = &s.Content
	}
	return act(updateCmd(ctx, c, f.edit.ID, &patch))
}

func updateCmd(ctx context.Context, c *client.Client, id string, patch *spec.SkillPatch) tea.Cmd {
	return func() tea.Msg {
		sk, err := c.UpdateSkill(ctx, id, patch)
		return SavedMsg{Skill: sk, Err: err}
	}
}

func (f *form) view(p *Page) string {
	st := p.Styles
	title := "New skill"
	if f.edit != nil {
		title = "Edit skill " + f.edit.Name
	}
	hint := st.Muted.Render("  " + p.Keys.Submit.Help().Key + " save · " + p.Keys.NextPage.Help().Key + " next field · " + p.Keys.Back.Help().Key + " cancel")
	if f.saving {
		hint = " " + p.spinner.View() + st.Muted.Render(" saving…")
	}
	return common.Truncate(st.Title.Render(title)+hint, p.Width) + "\n" +
		f.name.View() + "\n" +
		f.desc.View() + "\n" +
		st.Detail.Label.Render("Content") + "\n" +
		st.Framed(f.content)
}

// Package skills is the console's Skills page: the skills, their content,
// create and edit in a text area or $EDITOR, and delete.
package skills

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
	"lapctl/tui/components/confirm"
)

// ListMsg carries the skills.
type ListMsg struct {
	Skills []spec.Skill
	Err    error
}

// SavedMsg reports a created or updated skill.
type SavedMsg struct {
	Skill   *spec.Skill
	Created bool
	Err     error
}

// DeletedMsg reports a finished delete; a 409 names the agents that
// still use the skill.
type DeletedMsg struct {
	Skill spec.Skill
	Err   error
}

type mode int

const (
	modeList mode = iota
	modeView
	modeForm
)

// Page is the Skills page.
type Page struct {
	common.Common
	// NoEditor refuses $EDITOR (a console served over SSH must not run
	// an editor, which can spawn a shell, on the server's host).
	NoEditor bool
	list     []spec.Skill
	table    table.Model
	loaded   bool
	loading  bool
	mode     mode
	viewing  *spec.Skill
	vp       viewport.Model
	form     *form
	confirm  *confirm.Model
	spinner  common.Spinner
	pending  int
}

// New builds the Skills page.
func New(c common.Common) *Page {
	p := &Page{Common: c, confirm: confirm.New(c), vp: viewport.New()}
	p.vp.KeyMap = viewport.KeyMap{}
	p.table = common.NewTable(c, columns(80))
	p.spinner = common.NewSpinner(c.Styles)
	return p
}

func columns(width int) []table.Column {
	avail := max(width-8, 30)
	created := 10
	name := min(28, (avail-created)*35/100)
	return []table.Column{
		{Title: "Name", Width: name},
		{Title: "Description", Width: avail - created - name - 10},
		{Title: "Size", Width: 10},
		{Title: "Created", Width: created},
	}
}

// Title implements common.Page.
func (p *Page) Title() string { return "Skills" }

// Init implements tea.Model.
func (p *Page) Init() tea.Cmd { return nil }

// Activate implements common.Page: skills are few, so every visit
// refreshes them.
func (p *Page) Activate() tea.Cmd { return p.refresh() }

// Capturing implements common.Page.
func (p *Page) Capturing() bool { return p.mode == modeForm || p.confirm.Active() }

// SetSize implements common.Component.
func (p *Page) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.confirm.SetSize(w, h)
	p.table.SetColumns(columns(w))
	p.table.SetWidth(w)
	p.table.SetHeight(max(h-1, 2))
	p.vp.SetWidth(w)
	p.vp.SetHeight(max(h-2, 1))
	p.renderView()
	if p.form != nil {
		p.form.setSize(w, h)
	}
}

func (p *Page) refresh() tea.Cmd {
	p.loading = true
	ctx, c := p.Context(), p.Client
	return p.spinner.Start(func() tea.Msg {
		s, err := c.ListSkills(ctx, p.Scope.Owner)
		return ListMsg{Skills: s, Err: err}
	})
}

func (p *Page) isBusy() bool { return p.loading || p.pending > 0 }

// actionStart routes an action through Update so the pending count and
// spinner change there.
type actionStart struct{ cmd tea.Cmd }

func act(cmd tea.Cmd) tea.Cmd { return func() tea.Msg { return actionStart{cmd: cmd} } }

// Update implements tea.Model.
func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		common.Restyle(p.Styles, &p.table, &p.spinner)
		return p, nil
	case spinner.TickMsg:
		if cmd, ok := p.spinner.OnTick(msg, p.isBusy()); ok {
			return p, cmd
		}
	case ListMsg:
		p.loading = false
		if msg.Err != nil {
			return p, common.ErrorCmd("list skills", msg.Err)
		}
		p.loaded = true
		sel := p.selectedID()
		p.list = msg.Skills
		p.setRows(sel)
		return p, nil
	case actionStart:
		p.pending++
		return p, p.spinner.Start(msg.cmd)
	case SavedMsg:
		return p, p.onSaved(msg)
	case DeletedMsg:
		p.pending = max(p.pending-1, 0)
		if msg.Err != nil {
			return p, common.ErrorCmd("delete skill "+msg.Skill.Name, msg.Err)
		}
		if p.viewing != nil && p.viewing.ID == msg.Skill.ID {
			p.mode, p.viewing = modeList, nil
		}
		return p, tea.Batch(common.StatusCmd(common.LevelSuccess, "deleted skill %s", msg.Skill.Name), p.refresh())
	case EditorReadyMsg:
		return p, p.onEditorReady(msg)
	case EditorDoneMsg:
		return p, p.onEditorDone(msg)
	case tea.KeyPressMsg:
		return p, p.onKey(msg)
	}
	if p.form != nil {
		return p, p.form.update(msg)
	}
	return p, nil
}

func (p *Page) setRows(selected string) {
	rows := make([]table.Row, len(p.list))
	for i := range p.list {
		s := &p.list[i]
		rows[i] = table.Row{common.OneLine(s.Name), common.OneLine(s.Description), common.Size(int64(len(s.Content))), common.Ago(p.Now(), s.CreatedAt)}
	}
	p.table.SetRows(rows)
	for i := range p.list {
		if p.list[i].ID == selected {
			p.table.SetCursor(i)
		}
	}
}

func (p *Page) selected() *spec.Skill {
	if p.mode == modeView && p.viewing != nil {
		return p.viewing
	}
	return common.Selected(p.table, p.list)
}

func (p *Page) selectedID() string {
	if s := p.selected(); s != nil {
		return s.ID
	}
	return ""
}

func (p *Page) onSaved(msg SavedMsg) tea.Cmd {
	p.pending = max(p.pending-1, 0)
	if errors.Is(msg.Err, errUnchanged) {
		return common.StatusCmd(common.LevelInfo, "%s", msg.Err.Error())
	}
	if msg.Err != nil {
		if p.form != nil {
			p.form.saving = false
		}
		return common.ErrorCmd("save skill", msg.Err)
	}
	if p.mode == modeForm {
		p.mode, p.form = modeList, nil
	}
	if p.viewing != nil && p.viewing.ID == msg.Skill.ID {
		p.viewing = msg.Skill
		p.mode = modeView
		p.renderView()
	}
	verb := "saved"
	if msg.Created {
		verb = "created"
	}
	return tea.Batch(common.StatusCmd(common.LevelSuccess, "%s skill %s", verb, msg.Skill.Name), p.refresh())
}

func (p *Page) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.Keys
	switch {
	case p.confirm.Active():
		return p.confirm.Update(msg)
	case p.mode == modeForm:
		return p.form.onKey(msg)
	}
	if a, ok := k.Refused(msg, k.New, k.Edit, k.Editor, k.Delete); ok {
		return common.Refuse(a)
	}
	if p.mode == modeView {
		switch {
		case key.Matches(msg, k.Back):
			p.mode, p.viewing = modeList, nil
			return nil
		case key.Matches(msg, k.Up):
			p.vp.ScrollUp(1)
			return nil
		case key.Matches(msg, k.Down):
			p.vp.ScrollDown(1)
			return nil
		case key.Matches(msg, k.PageUp):
			p.vp.PageUp()
			return nil
		case key.Matches(msg, k.PageDown):
			p.vp.PageDown()
			return nil
		case key.Matches(msg, k.Top):
			p.vp.GotoTop()
			return nil
		case key.Matches(msg, k.Bottom):
			p.vp.GotoBottom()
			return nil
		}
	} else {
		switch {
		case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom):
			p.table, _ = p.table.Update(msg)
			return nil
		case key.Matches(msg, k.Refresh):
			return p.refresh()
		case key.Matches(msg, k.Open):
			if s := p.selected(); s != nil {
				p.mode, p.viewing = modeView, s
				p.vp.GotoTop()
				p.renderView()
			}
			return nil
		}
	}
	if key.Matches(msg, k.New) {
		return p.openForm(nil)
	}
	s := p.selected()
	if s == nil {
		return nil
	}
	skill := *s
	if key.Matches(msg, k.Edit, k.Editor, k.Delete) && !p.Scope.Owns(skill.OwnerID) {
		return common.StatusCmd(common.LevelWarning, "skill %s is shared by all owners: only the server's operator can change it", skill.Name)
	}
	switch {
	case key.Matches(msg, k.Edit):
		return p.openForm(&skill)
	case key.Matches(msg, k.Editor):
		return p.openEditor(skill)
	case key.Matches(msg, k.Delete):
		ctx, c := p.Context(), p.Client
		p.confirm.Open("Delete skill "+skill.Name+"?",
			fmt.Sprintf("%s (%s) will be deleted. The server refuses while agents still use it.", skill.Name, skill.ID),
			act(deleteCmd(ctx, c, skill)))
	}
	return nil
}

func deleteCmd(ctx context.Context, c *client.Client, s spec.Skill) tea.Cmd {
	return func() tea.Msg { return DeletedMsg{Skill: s, Err: c.DeleteSkill(ctx, s.ID)} }
}

func (p *Page) renderView() {
	if p.viewing == nil {
		return
	}
	p.vp.SetContent(common.Wrap(strings.TrimRight(p.viewing.Content, "\n"), p.Width-2))
}

// View implements tea.Model.
func (p *Page) View() string {
	st := p.Styles
	switch {
	case p.confirm.Active():
		return p.confirm.View()
	case p.mode == modeForm:
		return p.form.view(p)
	case p.mode == modeView && p.viewing != nil:
		title := st.Muted.Render("Skills ›") + " " + st.Title.Render(p.viewing.Name)
		desc := p.viewing.Description
		if desc == "" {
			desc = "(no description)"
		}
		return p.spinner.Heading(title, p.isBusy(), p.Width) + "\n" +
			common.Truncate(st.Muted.Render(common.OneLine(desc)+" · "+p.viewing.ID), p.Width) + "\n" + p.vp.View()
	}
	title := st.Title.Render("Skills")
	if p.loaded {
		title += " " + st.Muted.Render(fmt.Sprint(len(p.list)))
	}
	out := p.spinner.Heading(title, p.isBusy(), p.Width) + "\n"
	if p.loaded && len(p.list) == 0 {
		msg := "No skills yet: press " + p.Keys.New.Help().Key + " to write one."
		if p.ReadOnly() {
			msg = "No skills yet."
		}
		return out + common.EmptyTable(st, msg)
	}
	return out + p.table.View()
}

package agents

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
)

// detailCmd fetches the agent afresh (the list may be minutes old) and
// the skill names its skill ids stand for.
func detailCmd(ctx context.Context, c *client.Client, id string) tea.Cmd {
	return func() tea.Msg {
		a, err := c.GetAgent(ctx, id)
		if err != nil {
			return DetailMsg{ID: id, Err: err}
		}
		names := map[string]string{}
		if len(a.SkillIDs) > 0 {
			// Skill names are a nicety: the detail still opens if
			// listing skills fails.
			if skills, err := c.ListSkills(ctx, a.OwnerID); err == nil {
				for _, s := range skills {
					names[s.ID] = s.Name
				}
			}
		}
		return DetailMsg{ID: id, Agent: a, SkillNames: names}
	}
}

// openDetail shows the detail view at once with what the list knows,
// then fills it in when the fresh copy arrives.
func (p *Page) openDetail(a spec.Agent) tea.Cmd {
	p.mode = modeDetail
	p.detail.agent = &a
	p.detail.reveal = false
	p.detail.vp.GotoTop()
	p.detail.render(p.Styles, p.Now())
	p.loadingID = a.ID
	return p.spinner.Start(detailCmd(p.Context(), p.Client, a.ID))
}

func (p *Page) onDetail(msg DetailMsg) tea.Cmd {
	if p.loadingID == "" || msg.ID != p.loadingID {
		return nil // a detail since left or replaced
	}
	p.loadingID = ""
	if msg.Err != nil {
		return common.ErrorCmd("get agent", msg.Err)
	}
	if p.mode != modeDetail || p.detail.agent == nil || p.detail.agent.ID != msg.Agent.ID {
		return nil
	}
	p.detail.agent = msg.Agent
	p.detail.skillNames = msg.SkillNames
	p.detail.render(p.Styles, p.Now())
	p.src.replace(*msg.Agent, p.Now())
	p.setRows()
	return nil
}

func (p *Page) onDetailKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.Keys
	vp := &p.detail.vp
	switch {
	case key.Matches(msg, k.Back):
		p.mode = modeList
		p.loadingID = ""
		p.detail.reveal = false
		return nil, true
	case key.Matches(msg, k.Reveal):
		p.detail.reveal = !p.detail.reveal
		p.detail.render(p.Styles, p.Now())
		return nil, true
	case key.Matches(msg, k.Refresh):
		if a := p.detail.agent; a != nil {
			p.loadingID = a.ID
			return p.spinner.Start(detailCmd(p.Context(), p.Client, a.ID)), true
		}
		return nil, true
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return nil, false
	}
	return nil, true
}

func (p *Page) detailView() string {
	st := p.Styles
	title := st.Muted.Render("Agents ›") + " " + st.Title.Render(p.detail.agent.Name)
	return p.spinner.Heading(title, p.isBusy(), p.Width) + "\n" + p.detail.vp.View()
}

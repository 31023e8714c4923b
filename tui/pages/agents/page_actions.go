package agents

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"lapctl/spec"
	"lapctl/tui/common"
)

// onActionKey handles the agent actions, from the list and the detail.
func (p *Page) onActionKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.Keys
	if key.Matches(msg, k.New) {
		return p.builder.open(p, nil)
	}
	a := p.selected()
	if a == nil {
		return nil
	}
	agent := *a
	ctx := p.Context()
	switch {
	case key.Matches(msg, k.Edit):
		return p.builder.open(p, &agent)
	case key.Matches(msg, k.Delete):
		p.confirm.Open("Delete agent "+agent.Name+"?",
			fmt.Sprintf("%s (%s) will be deleted and its sessions stopped. This cannot be undone.", agent.Name, agent.ID),
			p.act(deleteCmd(ctx, p.Client, agent)))
		return nil
	case key.Matches(msg, k.Pause):
		return p.act(pauseCmd(ctx, p.Client, agent))
	case key.Matches(msg, k.Start):
		return p.act(startCmd(ctx, p.Client, agent, false, false))
	case key.Matches(msg, k.Attach):
		if !common.IsTUI(&agent) {
			return common.StatusCmd(common.LevelWarning,
				"%s uses the API harness %s: start a session (%s) and send it messages", agent.Name, agent.Harness, k.Start.Help().Key)
		}
		if agent.Status == spec.StatusPaused {
			p.confirm.Open("Resume "+agent.Name+"?",
				agent.Name+" is paused. Resume it, start a session and attach to it?",
				p.act(startCmd(ctx, p.Client, agent, true, true)))
			return nil
		}
		return p.attachOrJoin(agent)
	}
	return nil
}

// act runs an action command with the spinner turning until its result
// message arrives.
func (p *Page) act(cmd tea.Cmd) tea.Cmd {
	return func() tea.Msg { return actionStart{cmd: cmd} }
}

// actionStart routes an action through Update, so the pending count and
// spinner change there rather than inside a confirm dialog's closure.
type actionStart struct{ cmd tea.Cmd }

func (p *Page) onAction(msg tea.Msg) tea.Cmd {
	p.pending = max(p.pending-1, 0)
	switch msg := msg.(type) {
	case DeletedMsg:
		if msg.Err != nil {
			return common.ErrorCmd("delete agent "+msg.Agent.Name, msg.Err)
		}
		p.src.remove(msg.Agent.ID)
		p.setRows()
		if p.mode == modeDetail && p.detail.agent != nil && p.detail.agent.ID == msg.Agent.ID {
			p.mode = modeList
		}
		return common.StatusCmd(common.LevelSuccess, "deleted agent %s", msg.Agent.Name)
	case StatusChangedMsg:
		if msg.Err != nil {
			return common.ErrorCmd("pause/resume "+msg.Agent.Name, msg.Err)
		}
		a := msg.Agent
		a.Status = msg.Status
		p.updateAgent(a)
		return common.StatusCmd(common.LevelSuccess, "%s is now %s", a.Name, a.Status)
	case StartedMsg:
		if a := p.find(msg.Agent.ID); a != nil {
			// The snapshot's status is the resumed one when a resume ran.
			a.Status = msg.Agent.Status
			if msg.Err == nil {
				a.SessionCount++
			}
			p.updateAgent(*a)
		}
		if msg.Err != nil {
			return common.ErrorCmd("start session of "+msg.Agent.Name, msg.Err)
		}
		return startedCmds(msg)
	}
	return nil
}

func (p *Page) find(id string) *spec.Agent {
	for i := range p.src.rows {
		if p.src.rows[i].ID == id {
			a := *p.src.rows[i]
			return &a
		}
	}
	return nil
}

// updateAgent refreshes one agent's row (and the detail if it shows it).
func (p *Page) updateAgent(a spec.Agent) {
	p.src.replace(a, p.Now())
	p.setRows()
	if p.detail.agent != nil && p.detail.agent.ID == a.ID {
		d := *p.detail.agent
		d.Status, d.SessionCount = a.Status, a.SessionCount
		p.detail.agent = &d
		p.detail.render(p.Styles, p.Now())
	}
}

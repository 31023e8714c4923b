package agents

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
)

// LiveSessionsMsg carries an agent's sessions that can be joined (a
// terminal, starting or running), asked for before `a` starts a new one.
type LiveSessionsMsg struct {
	Agent    spec.Agent
	Sessions []spec.Session
	// Unknown says the server cannot list them: start a new one, as
	// before joining existed.
	Unknown bool
	Err     error
}

// liveSessionsCmd lists a's joinable sessions. Servers that ignore the
// agent filter send every session, so the agent is checked here too.
func liveSessionsCmd(ctx context.Context, c *client.Client, a spec.Agent) tea.Cmd {
	return func() tea.Msg {
		all, err := c.ListSessions(ctx, a.ID)
		var ue *client.UnsupportedError
		if errors.As(err, &ue) {
			return LiveSessionsMsg{Agent: a, Unknown: true}
		}
		if err != nil {
			return LiveSessionsMsg{Agent: a, Err: err}
		}
		var live []spec.Session
		for _, s := range all {
			if joinable(&s, a.ID) {
				live = append(live, s)
			}
		}
		return LiveSessionsMsg{Agent: a, Sessions: live}
	}
}

// joinable: a session of agent id with a terminal that is starting or
// running (an ended one has nothing to join).
func joinable(s *spec.Session, agentID string) bool {
	tty, _ := s.HasTTY()
	live := s.Status == spec.SessionStarting || s.Status == spec.SessionRunning
	return tty && live && (s.AgentID == "" || s.AgentID == agentID)
}

// attachOrJoin is `a` on an active TUI agent: where the platform has
// terminals, it first asks for the agent's live sessions.
func (p *Page) attachOrJoin(a spec.Agent) tea.Cmd {
	if !p.Client.Capabilities().TTY {
		return p.act(startCmd(p.Context(), p.Client, a, false, true))
	}
	return p.act(liveSessionsCmd(p.Context(), p.Client, a))
}

// onLiveSessions offers the live sessions and a new one, or starts a
// new one when there is nothing to join.
func (p *Page) onLiveSessions(msg LiveSessionsMsg) tea.Cmd {
	p.pending = max(p.pending-1, 0)
	a := msg.Agent
	switch {
	case msg.Err != nil:
		return common.ErrorCmd("list the sessions of "+a.Name, msg.Err)
	case msg.Unknown || len(msg.Sessions) == 0:
		return p.act(startCmd(p.Context(), p.Client, a, false, true))
	}
	now := p.Now()
	items := make([]string, 0, len(msg.Sessions)+1)
	for _, s := range msg.Sessions {
		title := s.Title
		if title == "" {
			title = "-"
		}
		items = append(items, fmt.Sprintf("join %s  %s  %s, %s", s.ID, common.OneLine(title), s.Status, common.Ago(now, s.Time.Created)))
	}
	items = append(items, "new session")
	title := a.Name + " has a live session: join it, or start a new one?"
	if len(msg.Sessions) > 1 {
		title = fmt.Sprintf("%s has %d live sessions: join one, or start a new one?", a.Name, len(msg.Sessions))
	}
	sessions := msg.Sessions
	p.picker.Open(title, items, func(i int) tea.Cmd {
		if i < len(sessions) {
			s := sessions[i]
			return common.AttachCmd(&s)
		}
		return p.act(startCmd(p.Context(), p.Client, a, false, true))
	})
	return nil
}

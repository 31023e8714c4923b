package agents

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
)

// DeletedMsg reports a finished delete.
type DeletedMsg struct {
	Agent spec.Agent
	Err   error
}

// StatusChangedMsg reports a finished pause or resume.
type StatusChangedMsg struct {
	Agent  spec.Agent
	Status string
	Err    error
}

// StartedMsg reports a session started from the agents page; Attach says
// the operator asked to attach to it.
type StartedMsg struct {
	Agent   spec.Agent
	Session *spec.Session
	Attach  bool
	Err     error
}

func deleteCmd(ctx context.Context, c *client.Client, a spec.Agent) tea.Cmd {
	return func() tea.Msg {
		return DeletedMsg{Agent: a, Err: c.DeleteAgent(ctx, a.ID)}
	}
}

func pauseCmd(ctx context.Context, c *client.Client, a spec.Agent) tea.Cmd {
	return func() tea.Msg {
		var st *spec.AgentStatus
		var err error
		if a.Status == spec.StatusPaused {
			st, err = c.ResumeAgent(ctx, a.ID)
		} else {
			st, err = c.PauseAgent(ctx, a.ID)
		}
		msg := StatusChangedMsg{Agent: a, Err: err}
		if st != nil {
			msg.Status = st.Status
		}
		return msg
	}
}

// startCmd starts a session of a, resuming a first when asked (the
// confirm already happened). An attach needs no wait here: the attach
// itself waits for a starting session.
func startCmd(ctx context.Context, c *client.Client, a spec.Agent, resume, attach bool) tea.Cmd {
	return func() tea.Msg {
		out := StartedMsg{Agent: a, Attach: attach}
		if resume {
			if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
				out.Err = fmt.Errorf("resume: %w", err)
				return out
			}
			out.Agent.Status = spec.StatusActive
		}
		sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: a.Name})
		if err != nil {
			out.Err = err
			return out
		}
		out.Session = sess
		return out
	}
}

// startedCmds turns a StartedMsg into what follows: the sessions page
// learns of the session, and an attach is requested.
func startedCmds(msg StartedMsg) tea.Cmd {
	cmds := []tea.Cmd{
		common.SessionCreatedCmd(msg.Session),
		common.StatusCmd(common.LevelSuccess, "started session %s of %s", msg.Session.ID, msg.Agent.Name),
	}
	if msg.Attach {
		cmds = append(cmds, common.AttachCmd(msg.Session))
	} else {
		cmds = append(cmds, common.SwitchPageCmd(common.PageSessions))
	}
	return tea.Sequence(cmds...)
}

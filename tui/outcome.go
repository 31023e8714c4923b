package tui

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	tea "charm.land/bubbletea/v2"

	"lapctl/tui/common"
	"lapctl/tui/pages/agents"
	"lapctl/tui/pages/sessions"
	"lapctl/tui/pages/skills"
)

// requestOutcome reports the error of a message that ends a request to
// the server; ok is false for every other message.
func requestOutcome(msg tea.Msg) (err error, ok bool) {
	switch m := msg.(type) {
	case agents.PageMsg:
		return m.Err, true
	case agents.DetailMsg:
		return m.Err, true
	case agents.DeletedMsg:
		return m.Err, true
	case agents.StatusChangedMsg:
		return m.Err, true
	case agents.StartedMsg:
		return m.Err, true
	case agents.EditLoadedMsg:
		return m.Err, true
	case agents.LiveSessionsMsg:
		return m.Err, true
	case skills.ListMsg:
		return m.Err, true
	case skills.SavedMsg:
		return m.Err, true
	case skills.DeletedMsg:
		return m.Err, true
	case sessions.ListMsg:
		return m.Err, true
	case sessions.HistoryMsg:
		return m.Err, true
	case sessions.ReplyMsg:
		return m.Err, true
	case sessions.StoppedMsg:
		return m.Err, true
	case HealthMsg:
		return m.Err, true
	}
	return nil, false
}

// refreshOf names the page whose data msg brings (a list or a detail
// loaded; an action's result is not a refresh).
func refreshOf(msg tea.Msg) (common.PageID, bool) {
	switch msg.(type) {
	case agents.PageMsg, agents.DetailMsg:
		return common.PageAgents, true
	case sessions.ListMsg, sessions.HistoryMsg:
		return common.PageSessions, true
	case skills.ListMsg:
		return common.PageSkills, true
	}
	return 0, false
}

// unreachable reports an error that never got an answer from the server
// (refused, reset, timed out, DNS): the server is down, not unhappy.
func unreachable(err error) bool {
	if err == nil {
		return false
	}
	var ue *url.Error
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.As(err, &oe)
}

// noteOutcome makes the header follow the last request: a request that
// got no answer marks the server down at once, any answer (an API error
// too) marks it up, and a "cannot reach" flash goes once one succeeds.
func (m *Model) noteOutcome(err error) {
	m.health.checked = true
	if unreachable(err) {
		m.health.err = err
		return
	}
	m.health.err = nil
	if m.statusUnreachable {
		m.status, m.statusUnreachable = common.StatusMsg{}, false
	}
}

// setStatus replaces the flash; it remembers whether the new one says
// the server cannot be reached, so an answer can clear it.
func (m *Model) setStatus(s common.StatusMsg, err error) {
	m.status, m.statusUnreachable = s, unreachable(err)
}

// Refreshed is when the visible page last got its data from the server
// (zero before the first answer), for the header's "refreshed" mark.
func (m *Model) Refreshed() time.Time { return m.refreshed[m.active] }

// RefreshedText is the header's mark: "refreshed 12s ago", or "" before
// the visible page's data arrived.
func (m *Model) RefreshedText() string {
	at := m.Refreshed()
	if at.IsZero() {
		return ""
	}
	return "refreshed " + agoText(m.common.Now().Sub(at))
}

// agoText is an age in whole seconds, minutes or hours: fine enough for
// the operator to see the data ageing, coarse enough to stay short.
func agoText(d time.Duration) string {
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh ago", int(d/time.Hour))
}

// agoStep is how long until agoText(d) next changes: a second while it
// counts seconds, else the rest of the current minute.
func agoStep(d time.Duration) time.Duration {
	if d < time.Minute {
		return time.Second
	}
	return time.Minute - d%time.Minute
}

// refreshedTickMsg redraws the header so the "refreshed" mark ages
// without a refresh.
type refreshedTickMsg struct{}

// keepAgeing starts the mark's tick once there is a mark, unless one is
// pending or the terminal belongs to an attached session (nothing is
// drawn then; AttachDoneMsg lets it start again).
func (m *Model) keepAgeing() tea.Cmd {
	at := m.Refreshed()
	if m.ageing || m.attached || at.IsZero() {
		return nil
	}
	m.ageing = true
	return tea.Tick(agoStep(m.common.Now().Sub(at)), func(time.Time) tea.Msg { return refreshedTickMsg{} })
}

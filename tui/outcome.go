package tui

import (
	"errors"
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
	if err == nil {
		m.refreshed = m.common.Now()
	}
	if m.statusUnreachable {
		m.status, m.statusUnreachable = common.StatusMsg{}, false
	}
}

// setStatus replaces the flash; it remembers whether the new one says
// the server cannot be reached, so an answer can clear it.
func (m *Model) setStatus(s common.StatusMsg, err error) {
	m.status, m.statusUnreachable = s, unreachable(err)
}

// Refreshed is when the console last got data from the server (zero
// before the first answer), for the header's "refreshed" mark.
func (m *Model) Refreshed() time.Time { return m.refreshed }

// RefreshedText is the header's mark: "refreshed 12s ago", or "" before
// any data arrived.
func (m *Model) RefreshedText() string {
	if m.refreshed.IsZero() {
		return ""
	}
	return "refreshed " + common.Ago(m.common.Now(), m.refreshed.UnixMilli())
}

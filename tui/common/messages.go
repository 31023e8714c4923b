package common

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"lapctl/spec"
)

// Level is how a status line message is coloured.
type Level int

// Status levels.
const (
	LevelInfo Level = iota
	LevelSuccess
	LevelWarning
	LevelError
)

// StatusMsg sets the status line.
type StatusMsg struct {
	Text  string
	Level Level
}

// StatusCmd sets the status line.
func StatusCmd(level Level, format string, args ...any) tea.Cmd {
	text := fmt.Sprintf(format, args...)
	return func() tea.Msg { return StatusMsg{Text: text, Level: level} }
}

// ErrorMsg reports a failed action; the status line shows the server's
// message (with a login hint on 401).
type ErrorMsg struct {
	// What names the action that failed ("delete agent bob").
	What string
	Err  error
}

// ErrorCmd reports err as the failure of what.
func ErrorCmd(what string, err error) tea.Cmd {
	return func() tea.Msg { return ErrorMsg{What: what, Err: err} }
}

// Refuse answers a destructive key pressed in read-only mode.
func Refuse(action string) tea.Cmd {
	return StatusCmd(LevelWarning, "read-only mode: %s is disabled", action)
}

// PageID names a top-level page.
type PageID int

// The pages, in tab order.
const (
	PageAgents PageID = iota
	PageSessions
	PageSkills
)

// SwitchPageMsg makes a page the visible one.
type SwitchPageMsg struct{ Page PageID }

// SwitchPageCmd switches to page.
func SwitchPageCmd(page PageID) tea.Cmd {
	return func() tea.Msg { return SwitchPageMsg{Page: page} }
}

// AttachMsg asks the root to attach the terminal to a TUI session.
type AttachMsg struct{ Session *spec.Session }

// AttachCmd asks the root to attach to sess.
func AttachCmd(sess *spec.Session) tea.Cmd {
	return func() tea.Msg { return AttachMsg{Session: sess} }
}

// AttachingMsg tells every page the terminal is about to be handed to a
// session, so live polling pauses until AttachDoneMsg.
type AttachingMsg struct{ Session *spec.Session }

// AttachDoneMsg reports the end of an attach: detached, the process
// exited, or an error.
type AttachDoneMsg struct {
	Session  *spec.Session
	Detached bool
	Exited   bool
	ExitCode int
	Reason   string
	Err      error
}

// SessionCreatedMsg reports a new session (from the agents page or the
// builder); the sessions page selects it.
type SessionCreatedMsg struct{ Session *spec.Session }

// SessionCreatedCmd announces sess.
func SessionCreatedCmd(sess *spec.Session) tea.Cmd {
	return func() tea.Msg { return SessionCreatedMsg{Session: sess} }
}

// AgentsChangedMsg tells the agents page to reload (a session count or
// status changed elsewhere).
type AgentsChangedMsg struct{}

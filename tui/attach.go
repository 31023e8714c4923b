package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lapctl/ptyattach"
	"lapctl/spec"
	"lapctl/tui/common"
)

// defaultAttach attaches with ptyattach over the program's own terminal
// (tea.Exec hands it the program's streams).
func defaultAttach(ctx context.Context, opts Options) common.AttachFunc {
	detach := ""
	if opts.Config != nil {
		detach = opts.Config.DetachKeys
	}
	return func(sess *spec.Session) (tea.ExecCommand, error) {
		o := ptyattach.Options{
			Client:     opts.Client,
			SessionID:  sess.ID,
			DetachKeys: detach,
			Reconnect:  true,
		}
		if opts.Client != nil && sess.TTYURL != "" {
			url, err := opts.Client.TTYURL(sess)
			if err != nil {
				return nil, err
			}
			o.URL, o.Token = url, sess.TTYToken
		}
		return NewAttachCommand(ctx, o), nil
	}
}

// resulter is an attach command that can say how it ended (AttachCommand
// is one; an injected attach may not be).
type resulter interface {
	Result() (*ptyattach.Result, error)
}

// startAttach hands the terminal to the session; pages hear first so
// live polling pauses while the console is not on screen.
func (m *Model) startAttach(msg common.AttachMsg) tea.Cmd {
	sess := msg.Session
	if sess == nil || m.attached {
		return nil
	}
	if m.common.ReadOnly() {
		return common.Refuse("attach")
	}
	cmd, err := m.attach(sess)
	if err != nil {
		return common.ErrorCmd("attach to "+sess.ID, err)
	}
	m.attached = true
	pause := m.broadcast(common.AttachingMsg{Session: sess})
	return tea.Batch(pause, tea.Exec(cmd, func(err error) tea.Msg {
		done := common.AttachDoneMsg{Session: sess, Err: err, Detached: err == nil}
		if r, ok := cmd.(resulter); ok {
			if res, rerr := r.Result(); res != nil {
				done.Detached, done.Exited, done.ExitCode, done.Reason = res.Detached, res.Exited, res.ExitCode, res.Reason
				done.Err = rerr
			}
		}
		return done
	}))
}

// attachStatus is the status line after an attach.
func attachStatus(msg common.AttachDoneMsg) common.StatusMsg {
	name := msg.Session.ID
	if msg.Session.Agent != "" {
		name += " (" + msg.Session.Agent + ")"
	}
	var timeout *ptyattach.StartTimeoutError
	var noTTY *ptyattach.NoTTYError
	switch {
	case errors.Is(msg.Err, ptyattach.ErrStoppedWaiting):
		return common.StatusMsg{Text: "stopped waiting for " + name + " to start; it goes on (attach again to wait more)", Level: common.LevelInfo}
	case errors.As(msg.Err, &timeout):
		// The diagnostics are on the session's page, which opens.
		first, _, _ := strings.Cut(timeout.Error(), "\n")
		return common.StatusMsg{Text: first, Level: common.LevelWarning}
	case errors.As(msg.Err, &noTTY):
		return common.StatusMsg{Text: noTTY.Error(), Level: common.LevelWarning}
	case msg.Err != nil:
		return common.StatusMsg{Text: common.ErrorText("attach to "+name, msg.Err), Level: common.LevelError}
	case msg.Exited:
		text := fmt.Sprintf("session %s exited with code %d", name, msg.ExitCode)
		level := common.LevelInfo
		if msg.ExitCode != 0 {
			level = common.LevelWarning
		}
		return common.StatusMsg{Text: text, Level: level}
	}
	return common.StatusMsg{Text: "detached from " + name, Level: common.LevelSuccess}
}

package sshserve

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"lapctl/ptyattach"
	"lapctl/spec"
)

// attachFunc is the console's Attach for this SSH session: it bridges the
// session's terminal to the platform session's WebSocket PTY.
func (srv *Server) attachFunc(ls *liveSession, in *input, win *window) AttachFunc {
	return func(sess *spec.Session) (tea.ExecCommand, error) {
		switch {
		case sess == nil || sess.ID == "":
			return nil, errors.New("attach: no session given")
		case srv.opts.Client == nil:
			return nil, errors.New("attach is not available: this SSH server has no platform connection")
		}
		return &sshAttach{srv: srv, ls: ls, in: in, win: win, sessionID: sess.ID}, nil
	}
}

// sshAttach is a tea.ExecCommand that runs ptyattach on the SSH session's
// streams. Input is switched from the console to the attach only while Run
// runs; window changes follow it there; Ctrl-] (the detach keys) ends it
// and the console takes the terminal back.
type sshAttach struct {
	srv       *Server
	ls        *liveSession
	in        *input
	win       *window
	sessionID string

	mu  sync.Mutex
	ran bool
	res *ptyattach.Result
	err error
}

// SetStdin, SetStdout and SetStderr ignore what bubbletea hands over: its
// input pipe (the console's, not the attach's) and the server's own
// os.Stderr.
func (a *sshAttach) SetStdin(io.Reader)  {}
func (a *sshAttach) SetStdout(io.Writer) {}
func (a *sshAttach) SetStderr(io.Writer) {}

// Run implements tea.ExecCommand.
func (a *sshAttach) Run() error {
	if err := a.checkOwner(); err != nil {
		return err
	}
	keys, done := a.in.beginAttach()
	defer done()
	resize := a.win.beginAttach()
	defer a.win.endAttach()

	// A disconnect, the idle timeout or a shutdown detaches too.
	res, err := ptyattach.Attach(a.ls.ctx, ptyattach.Options{
		Client:     a.srv.opts.Client,
		SessionID:  a.sessionID,
		DetachKeys: a.srv.opts.DetachKeys,
		In:         keys,
		Out:        rawChannel(a.ls.Session),
		ErrOut:     a.ls.Stderr(),
		Term:       sshTerminal{a.win},
		Resize:     resize,
		Reconnect:  true,
		// Many attaches share this process: its signals are not theirs.
		NoSignals: true,
	})
	a.mu.Lock()
	a.ran, a.res, a.err = true, res, err
	a.mu.Unlock()
	return err
}

// checkOwner refuses a session of another owner's agent: a mapped key
// must not get a shell in someone else's session, whatever the console
// lists. It runs here, with the terminal handed over, because it does I/O.
func (a *sshAttach) checkOwner() error {
	owner := a.ls.id.OwnerID
	if owner == "" {
		return nil // the operator's key
	}
	c, ctx := a.srv.opts.Client, a.ls.ctx
	sess, err := c.GetSession(ctx, a.sessionID)
	if err != nil {
		return err
	}
	agent, err := c.GetAgent(ctx, sess.AgentID)
	if err != nil {
		return err
	}
	if agent.OwnerID != owner {
		return fmt.Errorf("session %s belongs to another owner's agent: you act as %s", a.sessionID, owner)
	}
	return nil
}

// Result is how the attach ended, once Run has returned.
func (a *sshAttach) Result() (*ptyattach.Result, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.ran {
		return nil, errors.New("attach has not run")
	}
	return a.res, a.err
}

// rawChannel is the session's SSH channel without charm.land/ssh's
// emulated-PTY writer, which turns every "\n" into "\r\n". That suits the
// console (bubbletea writes "\r\n" anyway), but a remote full-screen
// program's bare "\n" means "cursor down, same column" and must reach the
// client as is. The channel is the session's embedded gossh.Channel field;
// should a charm.land/ssh update move it, the session itself is used.
func rawChannel(s ssh.Session) io.Writer {
	v := reflect.ValueOf(s)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("Channel"); f.IsValid() && f.CanInterface() {
			if ch, ok := f.Interface().(gossh.Channel); ok && ch != nil {
				return ch
			}
		}
	}
	return s
}

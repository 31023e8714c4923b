package sshserve

import (
	"fmt"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"
)

// sessionMiddleware turns the session into a liveSession: who it is (from
// the key that authenticated), its context, one log line at the start and
// one at the end, and the exit status sent last.
func (srv *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		id, err := identify(s)
		if err != nil {
			srv.log.Warn("ssh session refused", "user", s.User(), "remote", s.RemoteAddr().String(), "err", err)
			wish.Fatalln(s, "permission denied")
			return
		}
		ls := newLiveSession(s, id)
		defer ls.cancel(nil)
		_, _, isPty := s.Pty()
		ls.interactive = isPty && len(s.Command()) == 0
		kind := "command"
		if ls.interactive {
			kind = "console"
		}
		attrs := []any{"user", id.User, "owner", id.OwnerID, "fingerprint", id.Fingerprint, "remote", id.RemoteAddr, "kind", kind, "pty", isPty}
		if !ls.interactive {
			attrs = append(attrs, "command", commandName(s.Command()))
		}
		srv.log.Info("ssh session start", attrs...)
		if srv.opts.IdleTimeout > 0 {
			go ls.watchIdle(srv.opts.IdleTimeout)
		}

		// Pessimistic until a handler says otherwise: a session that ends
		// without reporting (a panic) failed.
		ls.setCode(1)
		next(ls)

		code := ls.finish()
		// Released after the exit status went out, so that Shutdown,
		// which closes connections once every session is released, never
		// cuts one off before its status.
		srv.release(ls)
		srv.log.Info("ssh session end", append(attrs, "duration", time.Since(ls.started).Round(time.Millisecond), "exit_code", code, "reason", ls.endReason())...)
	}
}

// identify reads the mapping authorize stored for the key that signed.
func identify(s ssh.Session) (Identity, error) {
	pk := s.PublicKey()
	perms := s.Permissions().Permissions
	if pk == nil || perms == nil {
		return Identity{}, fmt.Errorf("no public key authentication")
	}
	fp := gossh.FingerprintSHA256(pk)
	if perms.Extensions[extFingerprint] != fp {
		return Identity{}, fmt.Errorf("authenticated key does not match the authorized one")
	}
	return Identity{
		User:        s.User(),
		OwnerID:     perms.Extensions[extOwner],
		Fingerprint: fp,
		RemoteAddr:  s.RemoteAddr().String(),
	}, nil
}

// admitMiddleware enforces MaxSessions and refuses new sessions during a
// shutdown, telling the user why.
func (srv *Server) admitMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		ls := s.(*liveSession)
		// (Writes to a PTY session turn "\n" into "\r\n" by themselves.)
		if msg := srv.admit(ls); msg != "" {
			fmt.Fprintf(s.Stderr(), "%s\n", msg)
			ls.setCode(1)
			return
		}
		next(s)
	}
}

func (srv *Server) admit(ls *liveSession) string {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	switch {
	case srv.closing:
		ls.refused = "refused: shutting down"
		return "lapctl ssh-serve: the server is shutting down; try again when it is back."
	case len(srv.live) >= srv.opts.MaxSessions:
		ls.refused = "refused: too many sessions"
		srv.log.Warn("ssh session refused: too many sessions", "user", ls.id.User, "fingerprint", ls.id.Fingerprint, "remote", ls.id.RemoteAddr, "max_sessions", srv.opts.MaxSessions)
		return fmt.Sprintf("lapctl ssh-serve: too many sessions (the limit is %d); try again later.", srv.opts.MaxSessions)
	}
	srv.live[ls] = struct{}{}
	ls.admitted = true
	srv.wg.Add(1)
	return ""
}

// release forgets an admitted session.
func (srv *Server) release(ls *liveSession) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if !ls.admitted {
		return
	}
	ls.admitted = false
	delete(srv.live, ls)
	srv.wg.Done()
}

package sshserve

import (
	"fmt"
	"io"

	"charm.land/ssh"

	"lapctl/iostreams"
)

// commandMiddleware runs a command session: the same cobra tree as the
// local lapctl, built fresh for this session by Options.NewCommand, on the
// session's streams and with explicit arguments, so nothing can fall back
// to the server's os.Args or os.Stdout. A PTY with no command is the
// console's, and passes on.
func (srv *Server) commandMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		ls := s.(*liveSession)
		if ls.interactive {
			next(s)
			return
		}
		ls.setCode(srv.runCommand(ls))
	}
}

func (srv *Server) runCommand(ls *liveSession) int {
	pty, winch, isPty := ls.Pty()
	// For a command, output counts as activity too: a long listing or a
	// followed log is not idle.
	var in io.Reader = activityReader{ls.Session, ls.touch}
	var out, errOut io.Writer = activityWriter{ls.Session, ls.touch}, activityWriter{ls.Stderr(), ls.touch}
	width := func() int { return 0 }
	if isPty {
		// ssh -t host agents delete x: a terminal, so tables and prompts
		// work, at the client's width.
		win := newWindow(pty.Window)
		go win.follow(winch, ls.touch)
		width = win.cols
	}
	ios := iostreams.New(in, out, errOut, isPty, width, ls.env.Getenv)

	root := srv.opts.NewCommand(ios, ls.id)
	args := ls.Command()
	if len(args) == 0 {
		// Without arguments cobra would read os.Args: the server's own.
		args = []string{"--help"}
	}
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	failed, err := root.ExecuteContextC(ls.ctx)

	if msg := ls.notice(srv.opts.IdleTimeout); msg != "" {
		fmt.Fprintf(errOut, "%s\n", msg)
		return 1
	}
	if err == nil {
		return 0
	}
	if srv.opts.ExitCode != nil {
		return srv.opts.ExitCode(failed, err, errOut)
	}
	if root.SilenceErrors {
		fmt.Fprintf(errOut, "error: %v\n", err)
	}
	return 1
}

// activityReader and activityWriter mark the session active on each
// transfer, for the idle timeout.
type activityReader struct {
	r     io.Reader
	touch func()
}

func (a activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.touch()
	}
	return n, err
}

type activityWriter struct {
	w     io.Writer
	touch func()
}

func (a activityWriter) Write(p []byte) (int, error) {
	a.touch()
	return a.w.Write(p)
}

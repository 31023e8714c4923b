package sshserve

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"
)

// consoleMiddleware runs the console for a session with a PTY and no
// command. wish's program options set the environment (filtered), colour
// profile and first window size; wish's middleware itself is not used,
// because the console's input goes through lapctl's router (an attach
// inside the console takes the keys while it runs) and window changes
// must wait while an attach holds the terminal.
func (srv *Server) consoleMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		ls := s.(*liveSession)
		ls.setCode(srv.runConsole(ls))
		next(s)
	}
}

func (srv *Server) runConsole(ls *liveSession) int {
	pty, winch, _ := ls.Pty()
	win := newWindow(pty.Window)
	go win.follow(winch, ls.touch)

	in, err := newInput(ls.Session, ls.touch)
	if err != nil {
		fmt.Fprintf(ls.Stderr(), "lapctl: cannot start the console: %v\n", err)
		return 1
	}
	defer in.close()

	term := Terminal{LightBackground: !darkBackground(ls.env.Getenv("COLORFGBG"))}
	model, err := srv.opts.NewConsole(ls, term, ls.id, srv.attachFunc(ls, in, win))
	if err != nil {
		fmt.Fprintf(ls.Stderr(), "lapctl: cannot start the console: %v\n", err)
		return 1
	}
	// The program's context is only the hard stop; endConsole asks it to
	// quit first when the session ends.
	progCtx, kill := context.WithCancel(context.WithoutCancel(ls.ctx))
	defer kill()
	// MakeOptions: the session as output, the filtered environment (with
	// the PTY's TERM), the colour profile it implies and the first window
	// size. The input is replaced by the router's console side.
	p := tea.NewProgram(model, append(bubbletea.MakeOptions(ls),
		tea.WithInput(in.console()),
		tea.WithContext(progCtx),
		// SIGINT and SIGTERM belong to the server (a shutdown reaches
		// consoles through the session's context), not to each console.
		tea.WithoutSignalHandler(),
	)...)
	ended := make(chan struct{})
	go endConsole(ls.ctx, p, ended, kill)
	go sendSizes(ls.ctx, p, win)
	_, err = p.Run()
	close(ended)

	if msg := ls.notice(srv.opts.IdleTimeout); msg != "" {
		fmt.Fprintf(ls.Session, "\n%s\n", msg)
		return 1
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		srv.log.Error("console failed", "user", ls.id.User, "fingerprint", ls.id.Fingerprint, "err", err)
		return 1
	}
	return 0
}

// quitGrace is how long a console may take to quit before it is killed.
const quitGrace = 3 * time.Second

// endConsole quits the console when the session ends: the client left, or
// the idle timeout or a shutdown cancelled it. It asks first: bubbletea's
// forced stop (a cancelled context) closes its input reader under its own
// read loop, and skips restoring the client's screen. Killing is for a
// console that does not quit in time.
func endConsole(ctx context.Context, p *tea.Program, ended <-chan struct{}, kill func()) {
	select {
	case <-ended:
		return
	case <-ctx.Done():
	}
	go p.Quit()
	select {
	case <-ended:
	case <-time.After(quitGrace):
		kill()
	}
}

// sendSizes gives the console the client's window: the first size, then
// each change. Sends block while an attach holds the terminal; the window
// keeps only the latest size meanwhile, so the console gets that one after.
func sendSizes(ctx context.Context, p *tea.Program, win *window) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-win.changed:
			w := win.current()
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		}
	}
}

// darkBackground reads COLORFGBG, the first guess at the client's
// background until the console's own query is answered ("15;0": fg;bg in ANSI colour numbers).
func darkBackground(colorfgbg string) bool {
	i := strings.LastIndexByte(colorfgbg, ';')
	bg, err := strconv.Atoi(colorfgbg[i+1:])
	if err != nil {
		return true
	}
	return bg < 7 || bg == 8
}

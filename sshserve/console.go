package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// consoleMiddleware runs the console for a session with a PTY and no
// command. (wish's bubbletea middleware is not used: it needs
// charmbracelet/x/input, which go.mod does not carry, and its renderer
// probes the terminal by reading the session, racing the console for the
// user's first keystrokes.)
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

	model, err := srv.opts.NewConsole(ls, newRenderer(ls.Session, ls.env), ls.id, srv.attachFunc(ls, in, win))
	if err != nil {
		fmt.Fprintf(ls.Stderr(), "lapctl: cannot start the console: %v\n", err)
		return 1
	}
	// The program's context is only the hard stop; endConsole asks it to
	// quit first when the session ends.
	progCtx, kill := context.WithCancel(context.WithoutCancel(ls.ctx))
	defer kill()
	p := tea.NewProgram(model,
		tea.WithInput(in.console()),
		tea.WithOutput(ls.Session),
		tea.WithContext(progCtx),
		tea.WithAltScreen(),
		// SIGINT and SIGTERM belong to the server (a shutdown reaches
		// consoles through the session's context), not to each console.
		tea.WithoutSignalHandler(),
		tea.WithEnvironment(ls.env.Environ()),
	)
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

// newRenderer is the session's own renderer: colour from the client's TERM,
// COLORTERM and NO_COLOR, not the server's terminal. The background is not
// probed (that means reading the session, racing the console for input):
// COLORFGBG says when it is light, else dark is assumed.
func newRenderer(w io.Writer, env environ) *lipgloss.Renderer {
	if t := env.Getenv("TERM"); t == "" || t == "dumb" {
		return lipgloss.NewRenderer(w, termenv.WithProfile(termenv.Ascii))
	}
	r := lipgloss.NewRenderer(w, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(darkBackground(env.Getenv("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("15;0": fg;bg in ANSI colour numbers).
func darkBackground(colorfgbg string) bool {
	i := strings.LastIndexByte(colorfgbg, ';')
	bg, err := strconv.Atoi(colorfgbg[i+1:])
	if err != nil {
		return true
	}
	return bg < 7 || bg == 8
}

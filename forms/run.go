package forms

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"lapctl/iostreams"
)

// Run runs the builder on its own, on ios (the terminal, or an SSH
// session's streams): full screen, or line by line in accessible mode.
// It returns the result once the operator is done, ErrCancelled (with the
// result so far: a spec may have been saved) if they gave up, or the
// context's error. It prints nothing on ios.Out after the form closes:
// showing the agent (and attaching for NextAttach) is the caller's job.
//
// The colour profile comes from ios (plain text when NO_COLOR or
// TERM=dumb), the background from the terminal's answer to the program's
// own query. ACCESSIBLE=1 in ios's environment turns on accessible mode,
// as --accessible does. The builder's requests end with ctx.
func Run(ctx context.Context, opts Options, ios *iostreams.IOStreams) (*Result, error) {
	if on, err := strconv.ParseBool(ios.Getenv("ACCESSIBLE")); err == nil && on {
		opts.Accessible = true
	}
	if opts.Context == nil {
		opts.Context = ctx
	}
	if opts.Accessible {
		return runAccessible(ctx, opts, ios)
	}
	if !ios.CanPrompt() {
		return nil, errors.New("the agent builder needs a terminal: pass the agent with -f FILE (or flags), or use --accessible for line prompts")
	}
	b := NewBuilder(opts)
	rn := &runner{b: b}
	// The context is watched here rather than with tea.WithContext: a
	// cancelled program context kills the program, which skips restoring
	// the terminal cleanly; a quit message shuts it down in order.
	p := tea.NewProgram(rn, programOptions(ios)...)
	stop := context.AfterFunc(ctx, func() { p.Send(ctxDoneMsg{}) })
	_, err := p.Run()
	stop()
	b.cancel()
	res := b.Result()
	switch {
	case rn.done != nil:
		return rn.done, nil
	case rn.cancelled:
		return &res, ErrCancelled
	case ctx.Err() != nil:
		return &res, ctx.Err()
	case err != nil:
		return &res, fmt.Errorf("agent builder: %w", err)
	}
	return &res, ErrCancelled
}

// ctxDoneMsg tells the runner Run's context ended.
type ctxDoneMsg struct{}

// runner hosts a Builder as a program of its own: the builder's DoneMsg
// and CancelMsg end the program.
type runner struct {
	b         *Builder
	done      *Result
	cancelled bool
}

func (r *runner) Init() tea.Cmd { return r.b.Init() }

func (r *runner) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case DoneMsg:
		res := msg.Result
		r.done = &res
		return r, tea.Quit
	case CancelMsg:
		r.cancelled = true
		return r, tea.Quit
	case ctxDoneMsg:
		return r, tea.Quit
	}
	_, cmd := r.b.Update(msg)
	return r, cmd
}

func (r *runner) View() tea.View {
	v := tea.NewView(r.b.View())
	v.AltScreen = true
	return v
}

// programOptions run a program on ios: its streams, its environment and
// the colour profile it allows (over SSH, the client's, not this
// process's).
func programOptions(ios *iostreams.IOStreams) []tea.ProgramOption {
	return []tea.ProgramOption{
		tea.WithInput(ios.In),
		tea.WithOutput(ios.Out),
		tea.WithEnvironment(ios.Environ()),
		tea.WithColorProfile(ios.ColorProfile()),
	}
}

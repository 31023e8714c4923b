package forms

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lapctl/iostreams"
	"lapctl/tui/keymap"
)

// Run runs the builder on its own, on ios (the terminal, or an SSH
// session's streams): full screen, or line by line in accessible mode.
// It returns the result once the operator is done, ErrCancelled (with the
// result so far: a spec may have been saved) if they gave up, or the
// context's error. It prints nothing on ios.Out after the form closes:
// showing the agent (and attaching for NextAttach) is the caller's job.
//
// With no Renderer in opts it builds one on ios.Out, in the ASCII profile
// when ios says colour is off (NO_COLOR, TERM=dumb). ACCESSIBLE=1 in ios's
// environment turns on accessible mode, as --accessible does.
func Run(ctx context.Context, opts Options, ios *iostreams.IOStreams) (*Result, error) {
	if on, err := strconv.ParseBool(ios.Getenv("ACCESSIBLE")); err == nil && on {
		opts.Accessible = true
	}
	if opts.Renderer == nil {
		opts.Renderer = renderer(ios)
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
	// cancelled program context makes bubbletea kill the program, closing
	// its input reader without waiting for the read loop (a data race in
	// bubbletea v1.3.10); a quit message shuts it down cleanly.
	p := tea.NewProgram(rn, tea.WithInput(ios.In), tea.WithOutput(ios.Out), tea.WithAltScreen())
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

// renderer detects colour from ios: its terminal and its environment,
// which over SSH are the session's, not this process's.
func renderer(ios *iostreams.IOStreams) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(ios.Out, termenv.WithTTY(ios.IsStdoutTTY()), termenv.WithEnvironment(iosEnv{ios}))
	if !ios.ColorEnabled() {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}

// iosEnv lets termenv read the environment through ios.
type iosEnv struct{ ios *iostreams.IOStreams }

func (e iosEnv) Environ() []string        { return nil }
func (e iosEnv) Getenv(key string) string { return e.ios.Getenv(key) }

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
	if k, ok := msg.(tea.KeyMsg); ok {
		return r, keymap.EachKeystroke(k, func(k tea.KeyMsg) tea.Cmd {
			_, cmd := r.b.Update(k)
			return cmd
		})
	}
	_, cmd := r.b.Update(msg)
	return r, cmd
}

func (r *runner) View() string { return r.b.View() }

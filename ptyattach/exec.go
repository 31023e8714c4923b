package ptyattach

import (
	"context"
	"io"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// ExecCommand runs an attach inside a Bubble Tea program:
//
//	cmd := ptyattach.NewExecCommand(opts)
//	return m, tea.Exec(cmd, func(err error) tea.Msg { return attachDoneMsg{cmd, err} })
//
// The program releases the terminal, Run attaches, and the program takes
// the terminal back when Run returns: raw mode restored, the input reader
// stopped without eating a keystroke. Run's error is a failure to attach;
// how the attach ended (detach, exit code) is in Result.
type ExecCommand struct {
	opts Options
	ctx  context.Context

	mu  sync.Mutex
	res *Result
	err error
}

var _ tea.ExecCommand = (*ExecCommand)(nil)

// NewExecCommand prepares an attach; the program's streams fill In, Out and
// ErrOut when opts leaves them nil. Over SSH, set ErrOut: Bubble Tea passes
// the process's stderr.
func NewExecCommand(opts Options) *ExecCommand {
	return &ExecCommand{opts: opts, ctx: context.Background()}
}

// SetContext bounds the attach: when ctx ends, Run detaches and returns.
func (e *ExecCommand) SetContext(ctx context.Context) { e.ctx = ctx }

// SetStdin implements tea.ExecCommand.
func (e *ExecCommand) SetStdin(r io.Reader) {
	if e.opts.In == nil {
		e.opts.In = r
	}
}

// SetStdout implements tea.ExecCommand.
func (e *ExecCommand) SetStdout(w io.Writer) {
	if e.opts.Out == nil {
		e.opts.Out = w
	}
}

// SetStderr implements tea.ExecCommand.
func (e *ExecCommand) SetStderr(w io.Writer) {
	if e.opts.ErrOut == nil {
		e.opts.ErrOut = w
	}
}

// Run implements tea.ExecCommand.
func (e *ExecCommand) Run() error {
	res, err := Attach(e.ctx, e.opts)
	e.mu.Lock()
	e.res, e.err = res, err
	e.mu.Unlock()
	return err
}

// Result is how the attach ended, once Run has returned.
func (e *ExecCommand) Result() (*Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.res, e.err
}

package tui

import (
	"context"
	"io"
	"sync"

	tea "charm.land/bubbletea/v2"

	"lapctl/ptyattach"
)

// AttachCommand runs an attach inside the console's program:
//
//	cmd := NewAttachCommand(ctx, opts)
//	return m, tea.Exec(cmd, func(err error) tea.Msg { return attachDoneMsg{cmd, err} })
//
// The program releases the terminal, Run attaches, and the program takes
// the terminal back when Run returns: raw mode restored, the input reader
// stopped without eating a keystroke. Run's error is a failure to attach;
// how the attach ended (detach, exit code) is in Result. It lives here,
// not in ptyattach, so ptyattach needs no UI library.
type AttachCommand struct {
	opts ptyattach.Options
	ctx  context.Context

	mu  sync.Mutex
	res *ptyattach.Result
	err error
}

var _ tea.ExecCommand = (*AttachCommand)(nil)

// NewAttachCommand prepares an attach bounded by ctx (when it ends, Run
// detaches and returns); the program's streams fill In, Out and ErrOut
// when opts leaves them nil.
func NewAttachCommand(ctx context.Context, opts ptyattach.Options) *AttachCommand {
	if ctx == nil {
		ctx = context.Background()
	}
	return &AttachCommand{opts: opts, ctx: ctx}
}

// SetStdin implements tea.ExecCommand.
func (e *AttachCommand) SetStdin(r io.Reader) {
	if e.opts.In == nil {
		e.opts.In = r
	}
}

// SetStdout implements tea.ExecCommand.
func (e *AttachCommand) SetStdout(w io.Writer) {
	if e.opts.Out == nil {
		e.opts.Out = w
	}
}

// SetStderr implements tea.ExecCommand.
func (e *AttachCommand) SetStderr(w io.Writer) {
	if e.opts.ErrOut == nil {
		e.opts.ErrOut = w
	}
}

// Run implements tea.ExecCommand.
func (e *AttachCommand) Run() error {
	res, err := ptyattach.Attach(e.ctx, e.opts)
	e.mu.Lock()
	e.res, e.err = res, err
	e.mu.Unlock()
	return err
}

// Result is how the attach ended, once Run has returned.
func (e *AttachCommand) Result() (*ptyattach.Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.res, e.err
}

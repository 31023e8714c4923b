package ptyattach

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// eventKind is something that ends the attach from the local side.
type eventKind int

const (
	evDetach eventKind = iota // the detach sequence, or Ctrl-C while not connected
	evSignal                  // SIGTERM or SIGHUP
)

type event struct {
	kind eventKind
	sig  os.Signal
}

// attacher is one Attach call.
type attacher struct {
	opts    Options
	keys    []byte // nil: input is data (a pipe), no detach keys
	term    Terminal
	derived bool // term was made from *os.File: watch the process's signals
	st      status
	link    link
	esc     *escaper
	events  chan event
	done    chan struct{} // closed at the end: stops the helper goroutines
	restore func()        // leaves raw mode; safe to call many times
	scratch []byte        // input goroutine's forward buffer
	modesMu sync.Mutex
	modes   modeTracker // the remote program's terminal modes
	midLine bool        // the last output byte was not a newline
	waiting atomic.Bool // waiting for the session to start: Esc leaves
	out     io.Writer   // the terminal reopened for output (rawterm.go), or nil

	sizeMu   sync.Mutex
	size     Size
	sizeChan bool // a size came from Options.Resize: it beats the Terminal's
}

// Attach connects the terminal to the session until the operator detaches,
// the remote process exits, the connection is lost for good, or ctx ends
// (then the error is ctx's). The terminal is back in its own mode when
// Attach returns, whichever way.
func Attach(ctx context.Context, opts Options) (*Result, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	keys, err := ParseDetachKeys(opts.DetachKeys)
	if err != nil {
		return nil, err
	}
	a := &attacher{
		opts:    opts,
		keys:    keys,
		term:    opts.Term,
		events:  make(chan event, 4),
		done:    make(chan struct{}),
		restore: func() {},
	}
	if a.term == nil {
		a.term = deriveTerminal(opts.In, opts.Out)
		a.derived = a.term != nil
	}
	if isPipe(opts.In) {
		a.keys = nil
	}
	a.link.writeTimeout = writeTimeout
	a.link.readOnly = opts.ReadOnly
	a.st.w, a.st.tty = opts.ErrOut, a.term != nil

	res, err := a.run(ctx)
	a.report(res, err)
	return res, err
}

// run does the attach; its defers undo everything it set up, in reverse,
// on every path including a panic.
func (a *attacher) run(ctx context.Context) (*Result, error) {
	if a.term != nil {
		undo, err := a.term.MakeRaw()
		if err != nil {
			return nil, fmt.Errorf("putting the terminal in raw mode: %w", err)
		}
		a.restore = sync.OnceFunc(func() {
			a.st.raw.Store(false)
			undo()
		})
		a.st.raw.Store(true)
	}
	defer a.restore()
	if t, ok := reopenTerminal(a.opts.Out, os.O_WRONLY); ok {
		a.out = t
		defer t.Close()
	}
	defer a.resetModes()
	defer close(a.done)

	winch, stop := make(chan os.Signal, 1), make(chan os.Signal, 1)
	if a.derived && !a.opts.NoSignals {
		defer notifySignals(winch, stop)()
	}
	go a.watch(winch, stop)

	a.esc = newEscaper(a.keys, singleKeyGrace, func() { a.emit(event{kind: evDetach}) })
	defer a.esc.stop()
	in := startInput(a.opts.In, a.onInput, a.onInputEnd, a.guard)
	defer in.stop(500 * time.Millisecond)

	url, token, res, err := a.prepare(ctx)
	if res != nil || err != nil {
		return res, err
	}
	return a.loop(ctx, url, token)
}

// guard runs deferred in every goroutine: a panic there would end the
// process without running run's defers, so restore the terminal first.
func (a *attacher) guard() {
	if r := recover(); r != nil {
		a.restore()
		panic(r)
	}
}

func (a *attacher) emit(ev event) {
	select {
	case a.events <- ev:
	default: // an event is queued already; it ends the attach
	}
}

// onInput handles a chunk of keystrokes, on the input goroutine.
func (a *attacher) onInput(p []byte) {
	fwd, detach := a.esc.feed(a.scratch[:0], p)
	a.scratch = fwd[:0]
	if a.opts.ReadOnly {
		// Watching: keys are dropped; the detach keys, or Ctrl-C, leave.
		if detach || bytes.IndexByte(fwd, 0x03) >= 0 {
			a.emit(event{kind: evDetach})
		}
		return
	}
	if len(fwd) > 0 && !a.link.write(websocket.BinaryMessage, fwd) && a.keys != nil && bytes.IndexByte(fwd, 0x03) >= 0 {
		// Not connected (starting, reconnecting): Ctrl-C gives up.
		a.link.drop()
		detach = true
	}
	if !detach && a.waiting.Load() && len(fwd) == 1 && fwd[0] == 0x1b {
		// A lone Esc (a key, not the start of a sequence, which comes
		// in the same read) leaves the wait for a starting session.
		a.link.drop()
		detach = true
	}
	if detach {
		a.emit(event{kind: evDetach})
	}
}

// onInputEnd: a terminal never ends its input while it is there, so an
// end (EOF from an SSH client that left, EIO from a vanished terminal)
// detaches. Piped input just ran out: the remote program goes on, and so
// does the output, until it exits.
func (a *attacher) onInputEnd(error) {
	if a.term != nil {
		a.emit(event{kind: evDetach})
	}
}

// watch turns signals and Options.Resize into resize frames and events.
func (a *attacher) watch(winch, stop <-chan os.Signal) {
	defer a.guard()
	resize := a.opts.Resize
	for {
		select {
		case <-a.done:
			return
		case sig := <-stop:
			a.emit(event{kind: evSignal, sig: sig})
		case <-winch:
			a.sizeMu.Lock()
			if s, err := termSize(a.term); err == nil && s != a.size {
				a.size = s
				a.link.resize(s)
			}
			a.sizeMu.Unlock()
		case s, ok := <-resize:
			if !ok {
				resize = nil
				continue
			}
			if !s.valid() {
				continue
			}
			a.sizeMu.Lock()
			a.size, a.sizeChan = s.clamp(), true
			a.link.resize(a.size)
			a.sizeMu.Unlock()
		}
	}
}

// localEnd turns a local event into the attach's end.
func localEnd(ev event) (*Result, error) {
	if ev.kind == evSignal {
		return nil, &SignalError{Signal: ev.sig}
	}
	return &Result{Detached: true, Reason: "detached"}, nil
}

func canceled(ctx context.Context) (*Result, error) {
	return &Result{Detached: true, Reason: context.Cause(ctx).Error()}, ctx.Err()
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// report prints how the attach ended, once the terminal is restored.
func (a *attacher) report(res *Result, err error) {
	var gaveUp bool
	if err != nil {
		gaveUp = errors.Is(err, ErrGaveUp)
	}
	switch {
	case res != nil && res.Detached && err == nil:
		a.line("detached from %s; reattach with: %s", a.opts.target(), a.opts.reattachHint())
	case res != nil && res.Exited:
		a.line("%s exited: %s", a.opts.target(), res.Reason)
	case gaveUp:
		a.line("reattach later with: %s", a.opts.reattachHint())
	case errors.Is(err, ErrStoppedWaiting):
		a.line("stopped waiting for %s to start; it goes on: %s", a.opts.target(), a.opts.reattachHint())
	}
}

// output is where the session's output goes: the reopened terminal, else
// Options.Out.
func (a *attacher) output() io.Writer {
	if a.out != nil {
		return a.out
	}
	return a.opts.Out
}

// resetModes undoes the terminal modes the remote program left on.
func (a *attacher) resetModes() {
	a.modesMu.Lock()
	b := a.modes.reset()
	a.modesMu.Unlock()
	if len(b) > 0 {
		a.output().Write(b)
	}
}

// clearForReplay wipes the screen before the server's replay after a
// reconnect, so the recent output is drawn once, not a second time below
// the first (scrollback keeps the old copy). Not on a pipe: there the
// replay is data, and escape codes would corrupt it.
func (a *attacher) clearForReplay() {
	if !a.st.tty {
		return
	}
	a.resetModes()
	a.output().Write([]byte("\x1b[H\x1b[2J"))
	a.modesMu.Lock()
	a.midLine = false
	a.modesMu.Unlock()
}

// line prints a status line on a line of its own, not after the remote
// program's prompt.
func (a *attacher) line(format string, args ...any) {
	a.modesMu.Lock()
	mid := a.midLine
	a.midLine = false
	a.modesMu.Unlock()
	if mid && !a.st.spinning {
		format = "%s" + format
		args = append([]any{a.st.eol()}, args...)
	}
	a.st.linef(format, args...)
}

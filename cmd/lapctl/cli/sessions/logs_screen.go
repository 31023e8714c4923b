package sessions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/screen"
)

// screenLogs prints a TUI session's screen (or raw bytes), once or
// following.
func screenLogs(ctx context.Context, opts *LogsOptions, c *client.Client, s *spec.Session) error {
	url, err := c.TTYURL(s)
	if err != nil {
		if ended(s) {
			return noReplayError(s, nil)
		}
		return err
	}
	if opts.Follow && !ended(s) {
		return followScreen(ctx, opts, c, s, url)
	}
	return snapshotScreen(ctx, opts, c, s, url)
}

// snapshotScreen takes the server's replay and prints it once. The
// replay has no end marker: it is complete when no frame came for
// Settle (or the server closed the connection, as for an ended session).
func snapshotScreen(ctx context.Context, opts *LogsOptions, c *client.Client, s *spec.Session, url string) error {
	var raw bytes.Buffer
	var scr *screen.Screen
	var out io.Writer = &raw
	if !opts.Raw {
		scr = screen.New(opts.Width, opts.Height)
		defer scr.Close()
		out = scr
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	frames, done := make(chan struct{}, 1), make(chan error, 1)
	go func() { done <- opts.Watch(wctx, url, s.TTYToken, out, signal(frames)) }()

	got, closed := false, false
	var werr error
	quiet := time.NewTimer(opts.FirstFrame)
	defer quiet.Stop()
	// A session printing without pause never goes quiet: take what came.
	limit := time.NewTimer(opts.FirstFrame + 10*opts.Settle)
	defer limit.Stop()
wait:
	for {
		select {
		case <-frames:
			got = true
			quiet.Reset(opts.Settle)
		case werr = <-done:
			closed = true
			break wait
		case <-quiet.C:
			break wait
		case <-limit.C:
			break wait
		}
	}
	if !closed {
		cancel()
		if werr = <-done; errors.Is(werr, context.Canceled) {
			werr = nil
		}
	}
	// Out is written by the watch only, which has returned by now.
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if werr != nil && !got {
		return watchFailed(ctx, c, s, werr)
	}
	if opts.Raw {
		_, err := opts.IO.Out.Write(raw.Bytes())
		return errors.Join(err, werr)
	}
	text := tailLines(scr.Text(), opts.Tail)
	if text == "" {
		fmt.Fprintf(opts.IO.ErrOut, "Session %s has shown nothing on its terminal yet.\n", label(s))
	} else if _, err := fmt.Fprintln(opts.IO.Out, text); err != nil {
		return err
	}
	if ended(s) {
		fmt.Fprintf(opts.IO.ErrOut, "Session %s has ended (%s); this is its last screen.\n", label(s), endNote(s))
	}
	return werr
}

// watchFailed explains a watch that got nothing: a session that ended
// meanwhile has no screen to show; anything else is the watch's error.
func watchFailed(ctx context.Context, c *client.Client, s *spec.Session, werr error) error {
	if now, err := c.GetSession(context.WithoutCancel(ctx), s.ID); err == nil && ended(now) {
		return noReplayError(now, werr)
	}
	return fmt.Errorf("session %s: %w", label(s), werr)
}

// followScreen prints the screen as the session goes on, until it ends
// or ctx does (Ctrl-C), which is a success.
func followScreen(ctx context.Context, opts *LogsOptions, c *client.Client, s *spec.Session, url string) error {
	if opts.Raw {
		err := opts.Watch(ctx, url, s.TTYToken, opts.IO.Out, nil)
		return followEnded(ctx, opts, c, s, err, true)
	}
	scr := screen.New(opts.Width, opts.Height)
	defer scr.Close()
	var view screenView = &lineLog{w: opts.IO.Out, tail: opts.Tail}
	if opts.IO.IsStdoutTTY() {
		view = &redrawView{w: opts.IO.Out, tail: opts.Tail}
	}
	frames, done := make(chan struct{}, 1), make(chan error, 1)
	go func() { done <- opts.Watch(ctx, url, s.TTYToken, scr, signal(frames)) }()
	tick := time.NewTicker(opts.Redraw)
	defer tick.Stop()
	got, pending := false, false
	for {
		select {
		case <-frames:
			got, pending = true, true
		case <-tick.C:
			// At most one draw per tick: a busy session costs little.
			if pending {
				view.update(scr.Text())
				pending = false
			}
		case err := <-done:
			if got {
				view.update(scr.Text())
			}
			view.finish()
			return followEnded(ctx, opts, c, s, err, got)
		}
	}
}

// followEnded maps the end of a follow: Ctrl-C and the session's end are
// successes (the end is reported on stderr); a watch that never got a
// frame fails as a snapshot would.
func followEnded(ctx context.Context, opts *LogsOptions, c *client.Client, s *spec.Session, err error, got bool) error {
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil && !got:
		return watchFailed(ctx, c, s, err)
	case err != nil:
		return fmt.Errorf("session %s: %w", label(s), err)
	}
	reportEnd(ctx, opts, c, s.ID)
	return nil
}

// signal returns an onFrame that marks ch without blocking: frames are
// coalesced into one wake-up.
func signal(ch chan struct{}) func() {
	return func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// tailLines keeps the last n lines of text (all for n ≤ 0).
func tailLines(text string, n int) string {
	if n <= 0 || text == "" {
		return text
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// screenView shows successive screens.
type screenView interface {
	update(text string)
	finish()
}

// redrawView redraws the screen in place on a terminal: home, each line
// over the old one (erasing the rest of it), then the rest of the
// display erased. The last screen stays when the command ends.
type redrawView struct {
	w       io.Writer
	tail    int
	started bool
	last    string
}

func (v *redrawView) update(text string) {
	text = tailLines(text, v.tail)
	if v.started && text == v.last {
		return
	}
	var b strings.Builder
	if !v.started {
		b.WriteString("\x1b[H\x1b[2J")
		v.started = true
	}
	b.WriteString("\x1b[H")
	if text != "" {
		for _, line := range strings.Split(text, "\n") {
			b.WriteString(line + "\x1b[K\r\n")
		}
	}
	b.WriteString("\x1b[J")
	io.WriteString(v.w, b.String())
	v.last = text
}

func (v *redrawView) finish() {}

// lineLog prints a changing screen as a log, for pipes: each new line
// once. When the screen scrolled, only the lines below what was printed
// are new; the last line printed (where the cursor likely was: a prompt,
// a progress figure) is printed again if it changed. When the screen was
// redrawn in place, nothing lines up and the whole screen is printed
// again.
type lineLog struct {
	w       io.Writer
	tail    int // bounds the first screen only
	started bool
	shown   []string // the last screen printed
}

func (l *lineLog) update(text string) {
	var lines []string
	if text != "" {
		lines = strings.Split(text, "\n")
	}
	n := overlap(l.shown, lines)
	fresh := lines[n:]
	if n > 0 && lines[n-1] != l.shown[len(l.shown)-1] {
		fresh = lines[n-1:]
	}
	if !l.started {
		l.started = true
		if l.tail > 0 && len(fresh) > l.tail {
			fresh = fresh[len(fresh)-l.tail:]
		}
	}
	for _, line := range fresh {
		fmt.Fprintln(l.w, line)
	}
	if len(lines) > 0 {
		l.shown = lines
	}
}

func (l *lineLog) finish() {}

// overlap is how many leading lines of cur continue the trailing lines
// of prev: the screen scrolled by len(prev)-n lines (n = len(prev) when
// lines were only added below). The last of prev's lines may have
// changed since (the cursor's line); the others must be equal.
func overlap(prev, cur []string) int {
	for n := min(len(prev), len(cur)); n > 0; n-- {
		if equalLines(prev[len(prev)-n:len(prev)-1], cur[:n-1]) {
			return n
		}
	}
	return 0
}

func equalLines(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

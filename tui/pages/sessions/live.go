package sessions

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/screen"
)

// ScreenMsg carries the watched session's screen after new output; Done
// when the connection ended (Err says why, nil for the session's end).
type ScreenMsg struct {
	Gen  int
	Text string
	Done bool
	Err  error
}

// DetailHistoryMsg carries an API session's messages for its detail page.
type DetailHistoryMsg struct {
	Gen      int
	Messages []spec.Message
	Err      error
}

// watcher follows one session's terminal read-only; frames are
// coalesced, so a busy session costs one redraw per console frame at most.
type watcher struct {
	scr   *screen.Screen
	dirty chan struct{}
	done  chan error
	gen   int
}

// startWatch looks the session up (the list may lack its tty_url or
// token), connects to its terminal and returns the first wait.
func startWatch(ctx context.Context, c *client.Client, id string, gen, w, h int) (*watcher, tea.Cmd) {
	wt := &watcher{scr: screen.New(w, h), dirty: make(chan struct{}, 1), done: make(chan error, 1), gen: gen}
	go func() {
		sess, err := c.GetSession(ctx, id)
		if err == nil {
			var url string
			if url, err = c.TTYURL(sess); err == nil {
				err = screen.Watch(ctx, url, sess.TTYToken, wt.scr, func() {
					select {
					case wt.dirty <- struct{}{}:
					default:
					}
				})
			}
		}
		wt.done <- err
	}()
	return wt, wt.next()
}

func (wt *watcher) next() tea.Cmd {
	return func() tea.Msg {
		select {
		case <-wt.dirty:
			return ScreenMsg{Gen: wt.gen, Text: wt.scr.Text()}
		case err := <-wt.done:
			return ScreenMsg{Gen: wt.gen, Text: wt.scr.Text(), Done: true, Err: err}
		}
	}
}

func detailHistoryCmd(ctx context.Context, c *client.Client, id string, gen int) tea.Cmd {
	return func() tea.Msg {
		msgs, err := c.Messages(ctx, id)
		return DetailHistoryMsg{Gen: gen, Messages: msgs, Err: err}
	}
}

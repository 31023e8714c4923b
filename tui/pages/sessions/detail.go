package sessions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"lapctl/spec"
	"lapctl/tui/common"
)

// detail is a session's page, for every session whatever its state: its
// fields (status, phase, failure, exit code, times) above what it shows:
// a TUI session's current screen, rebuilt live from its terminal without
// attaching, or an API session's messages.
type detail struct {
	sess    spec.Session
	gen     int
	vp      viewport.Model
	ctx     context.Context
	cancel  context.CancelFunc
	watch   *watcher
	screen  string
	ended   bool
	liveErr error
	msgs    []spec.Message
	loaded  bool
	histErr error
	width   int
	height  int
	// note is what the page adds after an attach that did not happen
	// (a start timeout's diagnostics).
	note string
}

// detailGen tells one detail page's messages from an earlier one's.
var detailGen int

func (p *Page) openDetail(s spec.Session, note string) tea.Cmd {
	p.closeDetail()
	detailGen++
	ctx, cancel := context.WithCancel(p.Context())
	d := &detail{sess: s, gen: detailGen, vp: viewport.New(), cancel: cancel, note: note}
	d.vp.KeyMap = viewport.KeyMap{}
	d.ctx = ctx
	p.detail = d
	d.setSize(p.Width, p.Height)
	var cmd tea.Cmd
	if tty, known := s.HasTTY(); known && !tty {
		cmd = detailHistoryCmd(ctx, p.Client, s.ID, d.gen)
	} else {
		cmd = d.maybeWatch(p)
	}
	d.render(p)
	return cmd
}

// maybeWatch connects to the session's terminal once there is one to
// watch: a TUI session past starting (the managed server gives its
// tty_url with "ready"; the list's polls bring it).
func (d *detail) maybeWatch(p *Page) tea.Cmd {
	s := &d.sess
	tty, _ := s.HasTTY()
	if d.watch != nil || !tty || !s.Live() || (s.TTYURL == "" && s.Status == spec.SessionStarting) {
		return nil
	}
	w, h := d.screenSize()
	var cmd tea.Cmd
	d.watch, cmd = startWatch(d.ctx, p.Client, s.ID, d.gen, w, h)
	return cmd
}

func (p *Page) closeDetail() {
	if p.detail != nil {
		p.detail.cancel()
		if p.detail.watch != nil {
			_ = p.detail.watch.scr.Close()
		}
		p.detail = nil
	}
}

// fieldRows is how many lines the fields take, so the screen gets the rest.
func (d *detail) fieldRows() int { return 10 }

func (d *detail) screenSize() (int, int) {
	return max(d.width, 20), max(d.height-1-d.fieldRows(), 3)
}

func (d *detail) setSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(w)
	d.vp.SetHeight(max(h-1, 1))
}

func (d *detail) update(p *Page, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ScreenMsg:
		if msg.Gen != d.gen || d.watch == nil {
			return nil
		}
		d.screen = msg.Text
		if msg.Done {
			d.ended = true
			if msg.Err != nil && !errors.Is(msg.Err, context.Canceled) {
				d.liveErr = msg.Err
			}
			d.render(p)
			return nil
		}
		d.render(p)
		return d.watch.next()
	case DetailHistoryMsg:
		if msg.Gen != d.gen {
			return nil
		}
		d.loaded, d.msgs, d.histErr = true, msg.Messages, msg.Err
		d.render(p)
		d.vp.GotoBottom()
	}
	return nil
}

func (d *detail) onKey(p *Page, msg tea.KeyPressMsg) tea.Cmd {
	k := p.Keys
	s := d.sess
	switch {
	case key.Matches(msg, k.Back):
		p.closeDetail()
		return nil
	case key.Matches(msg, k.Up):
		d.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		d.vp.ScrollDown(1)
	case msg.String() == "pgup":
		d.vp.PageUp()
	case msg.String() == "pgdown":
		d.vp.PageDown()
	case key.Matches(msg, k.Refresh):
		return p.openDetail(p.current(s), d.note)
	default:
		if a, ok := k.Refused(msg, k.Attach, k.Send); ok {
			return common.Refuse(a)
		}
		switch {
		case key.Matches(msg, k.Attach):
			return p.attach(&s)
		case key.Matches(msg, k.Send):
			return p.send(&s)
		}
	}
	return nil
}

// current is the latest copy of s from the list.
func (p *Page) current(s spec.Session) spec.Session {
	for i := range p.list {
		if p.list[i].ID == s.ID {
			return p.list[i]
		}
	}
	return s
}

// render rebuilds the page's content: called when the session, its
// screen or its messages change, not per frame.
func (d *detail) render(p *Page) {
	st := p.Styles
	s := &d.sess
	var b strings.Builder
	line := func(l, v string) {
		if v == "" {
			v = "-"
		}
		b.WriteString(st.Detail.Label.Render(padRight(l, 14)) + st.Detail.Value.Render(v) + "\n")
	}
	line("Agent", agentName(s))
	line("Harness", harnessLabel(s))
	line("Status", statusText(s))
	phase := s.Phase
	if s.PhaseDetail != "" {
		phase += " (" + s.PhaseDetail + ")"
	}
	line("Phase", phase)
	if s.ExitCode != nil {
		line("Exit code", fmt.Sprint(*s.ExitCode))
	}
	if s.FailureReason != "" {
		b.WriteString(st.Detail.Label.Render(padRight("Failure", 14)) + st.Status.Error.Render(common.Wrap(s.FailureReason, max(d.width-14, 20))) + "\n")
	}
	if s.Notice != "" {
		line("Notice", s.Notice)
	}
	line("Created", stamp(s.Time.Created))
	line("Updated", stamp(s.Time.Updated))
	if d.note != "" {
		b.WriteString("\n" + st.Status.Warning.Render(common.Wrap(d.note, max(d.width, 20))) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(d.body(p))
	d.vp.SetContent(b.String())
}

// body is what the session shows: its screen or its messages.
func (d *detail) body(p *Page) string {
	st := p.Styles
	s := &d.sess
	tty, known := s.HasTTY()
	var b strings.Builder
	switch {
	case d.watch != nil:
		head := "Screen (live, read-only)"
		if d.ended {
			head = "Screen (last seen; the terminal closed)"
		}
		b.WriteString(st.Detail.Section.Render(head) + "\n")
		switch {
		case d.liveErr != nil:
			b.WriteString(st.Status.Error.Render(common.ErrorText("watching "+s.ID, d.liveErr)) + "\n")
		case d.screen == "" && !d.ended:
			b.WriteString(st.Muted.Render("connecting…") + "\n")
		}
		b.WriteString(d.screen)
	case (tty || !known) && s.Live():
		b.WriteString(st.Muted.Render("The screen shows once the session is running (" + statusText(s) + ")…"))
	case tty || !known:
		b.WriteString(st.Muted.Render("No terminal to watch: the session is " + statusText(s) + "."))
	default:
		b.WriteString(st.Detail.Section.Render("Messages") + "\n")
		switch {
		case d.histErr != nil:
			b.WriteString(st.Status.Error.Render(common.ErrorText("messages of "+s.ID, d.histErr)))
		case !d.loaded:
			b.WriteString(st.Muted.Render("loading…"))
		case len(d.msgs) == 0:
			b.WriteString(st.Muted.Render("No messages yet."))
		}
		b.WriteString(transcript(p, s, d.msgs, d.width))
	}
	return b.String()
}

func stamp(ms int64) string {
	if ms <= 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04 UTC")
}

func (d *detail) view(p *Page) string {
	st := p.Styles
	title := st.Muted.Render("Sessions ›") + " " + st.Title.Render(d.sess.ID) + " " +
		st.Muted.Render(agentName(&d.sess)+" · "+statusText(&d.sess))
	return common.Truncate(title, p.Width) + "\n" + d.vp.View()
}

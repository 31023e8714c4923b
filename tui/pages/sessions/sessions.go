// Package sessions is the console's Sessions page: a live table of
// sessions (polled while visible, paused while attached), attach for TUI
// harnesses, a message view for API harnesses, and stop.
package sessions

import (
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"lapctl/ptyattach"
	"lapctl/spec"
	"lapctl/tui/common"
	"lapctl/tui/components/confirm"
)

// StoppedMsg reports a finished stop.
type StoppedMsg struct {
	Session spec.Session
	Err     error
}

// Page is the Sessions page.
type Page struct {
	common.Common
	poll     poller
	list     []spec.Session
	table    table.Model
	loaded   bool
	selectID string // select this session when it shows up
	chat     *chat
	detail   *detail
	// announced: sessions the console started that no poll listed yet.
	announced map[string]bool
	confirm   *confirm.Model
	spinner   common.Spinner
	pending   int
}

// New builds the Sessions page; interval is the live refresh period
// (0: DefaultPollInterval).
func New(c common.Common, interval time.Duration) *Page {
	p := &Page{Common: c, poll: newPoller(interval), confirm: confirm.New(c), announced: map[string]bool{}}
	p.poll.scope = c.Scope
	p.poll.known = p.knownIDs
	p.table = common.NewTable(c, columns(80, 0))
	p.spinner = common.NewSpinner(c.Styles)
	return p
}

// Title implements common.Page.
func (p *Page) Title() string { return "Sessions" }

// Init implements tea.Model. Polling starts when the page is shown.
func (p *Page) Init() tea.Cmd { return nil }

// Activate implements common.Page: refresh now and keep refreshing.
func (p *Page) Activate() tea.Cmd {
	p.poll.active = true
	return p.spinner.Start(p.poll.refresh(p.Context(), p.Client))
}

// Deactivate stops the live refresh while another page shows.
func (p *Page) Deactivate() { p.poll.active = false }

// Capturing implements common.Page.
func (p *Page) Capturing() bool { return p.chat != nil || p.detail != nil || p.confirm.Active() }

// SetSize implements common.Component.
func (p *Page) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.confirm.SetSize(w, h)
	p.table.SetColumns(columns(w, longestID(p.list)))
	p.table.SetWidth(w)
	p.table.SetHeight(max(h-1, 2))
	if p.chat != nil {
		p.chat.setSize(w, h)
	}
	if p.detail != nil {
		p.detail.setSize(w, h)
		if p.detail.watch != nil {
			p.detail.watch.scr.Resize(p.detail.screenSize())
		}
		p.detail.render(p)
	}
}

func (p *Page) isBusy() bool {
	return p.pending > 0 || (p.poll.inflight && !p.loaded) || (p.chat != nil && p.chat.busy())
}

// Update implements tea.Model.
func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		common.Restyle(p.Styles, &p.table, &p.spinner)
		return p, nil
	case spinner.TickMsg:
		if cmd, ok := p.spinner.OnTick(msg, p.isBusy()); ok {
			return p, cmd
		}
	case PollMsg:
		return p, p.poll.tick(p.Context(), p.Client, msg)
	case ListMsg:
		return p, p.onList(msg)
	case common.SessionCreatedMsg:
		if msg.Session != nil {
			p.selectID = msg.Session.ID
			p.announced[msg.Session.ID] = true
			p.upsert(*msg.Session)
		}
		return p, nil
	case common.AttachingMsg:
		p.poll.attached = true
		return p, nil
	case common.AttachDoneMsg:
		p.poll.attached = false
		var cmds []tea.Cmd
		if p.poll.active {
			cmds = append(cmds, p.poll.refresh(p.Context(), p.Client))
		}
		return p, tea.Batch(append(cmds, p.afterAttach(msg))...)
	case ScreenMsg, DetailHistoryMsg:
		if p.detail != nil {
			return p, p.detail.update(p, msg)
		}
		return p, nil
	case StoppedMsg:
		p.pending = max(p.pending-1, 0)
		if msg.Err != nil {
			return p, common.ErrorCmd("stop session "+msg.Session.ID, msg.Err)
		}
		return p, tea.Batch(
			common.StatusCmd(common.LevelSuccess, "stopped session %s", msg.Session.ID),
			p.poll.refresh(p.Context(), p.Client),
			func() tea.Msg { return common.AgentsChangedMsg{} },
		)
	case actionStart:
		p.pending++
		return p, p.spinner.Start(msg.cmd)
	case tea.KeyPressMsg:
		return p, p.onKey(msg)
	}
	if p.chat != nil {
		return p, p.chat.update(p, msg)
	}
	return p, nil
}

func (p *Page) onList(msg ListMsg) tea.Cmd {
	current, next := p.poll.done(msg)
	if !current {
		return nil
	}
	if msg.Err != nil {
		return tea.Batch(next, common.ErrorCmd("list sessions", msg.Err))
	}
	selected := p.selectedID()
	if p.selectID != "" {
		selected = p.selectID
	}
	p.loaded = true
	p.list = p.keepAnnounced(msg.Sessions)
	p.setRows(selected)
	cmds := []tea.Cmd{next}
	for i := range p.list {
		if p.chat != nil && p.list[i].ID == p.chat.sess.ID {
			p.chat.sess = p.list[i]
		}
		if d := p.detail; d != nil && p.list[i].ID == d.sess.ID && changed(&d.sess, &p.list[i]) {
			d.sess = p.list[i]
			cmds = append(cmds, d.maybeWatch(p))
			d.render(p)
		}
	}
	return tea.Batch(cmds...)
}

// keepAnnounced keeps the sessions announced by SessionCreatedMsg that
// no poll has seen yet (one begun before, or a server without a list).
func (p *Page) keepAnnounced(fresh []spec.Session) []spec.Session {
	seen := make(map[string]bool, len(fresh))
	for i := range fresh {
		seen[fresh[i].ID] = true
	}
	for i := range p.list {
		if id := p.list[i].ID; p.announced[id] && !seen[id] {
			fresh = append(fresh, p.list[i])
		}
	}
	for id := range p.announced {
		if seen[id] {
			delete(p.announced, id)
		}
	}
	return fresh
}

func changed(a, b *spec.Session) bool {
	return a.Status != b.Status || a.Phase != b.Phase || a.TTYURL != b.TTYURL || a.Time.Updated != b.Time.Updated
}

// upsert shows a session at once (from SessionCreatedMsg), before the
// next poll brings it.
func (p *Page) upsert(s spec.Session) {
	for i := range p.list {
		if p.list[i].ID == s.ID {
			p.list[i] = s
			p.setRows(s.ID)
			return
		}
	}
	p.list = append(p.list, s)
	p.setRows(s.ID)
}

func (p *Page) setRows(selected string) {
	order(p.list)
	p.table.SetColumns(columns(p.Width, longestID(p.list)))
	p.table.SetRows(toRows(p.list, p.Now()))
	for i := range p.list {
		if p.list[i].ID == selected {
			p.table.SetCursor(i)
			if selected == p.selectID {
				p.selectID = ""
			}
			return
		}
	}
}

func (p *Page) knownIDs() []string {
	ids := make([]string, len(p.list))
	for i := range p.list {
		ids[i] = p.list[i].ID
	}
	return ids
}

func (p *Page) selected() *spec.Session { return common.Selected(p.table, p.list) }

func (p *Page) selectedID() string {
	if s := p.selected(); s != nil {
		return s.ID
	}
	return ""
}

// actionStart routes an action through Update so the pending count and
// spinner change there, not in a confirm dialog's closure.
type actionStart struct{ cmd tea.Cmd }

func act(cmd tea.Cmd) tea.Cmd { return func() tea.Msg { return actionStart{cmd: cmd} } }

func (p *Page) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.Keys
	switch {
	case p.confirm.Active():
		return p.confirm.Update(msg)
	case p.chat != nil:
		return p.chat.onKey(p, msg)
	case p.detail != nil:
		return p.detail.onKey(p, msg)
	}
	if a, ok := k.Refused(msg, k.Attach, k.Send, k.Stop); ok {
		return common.Refuse(a)
	}
	s := p.selected()
	switch {
	case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom):
		p.table, _ = p.table.Update(msg)
		return nil
	case key.Matches(msg, k.Refresh):
		return p.spinner.Start(p.poll.refresh(p.Context(), p.Client))
	case s == nil:
		return nil
	case key.Matches(msg, k.Open):
		return p.openDetail(*s, "")
	case key.Matches(msg, k.Attach):
		return p.attach(s)
	case key.Matches(msg, k.Send):
		return p.send(s)
	case key.Matches(msg, k.Stop):
		sess, c, ctx := *s, p.Client, p.Context()
		p.confirm.Open("Stop session "+s.ID+"?",
			fmt.Sprintf("The %s process of %s is stopped; its output is lost.", s.Harness, agentName(s)),
			act(func() tea.Msg { return StoppedMsg{Session: sess, Err: c.DeleteSession(ctx, sess.ID)} }))
		return nil
	}
	return nil
}

// attach hands the terminal to s, unless the server already said it has
// none or it ended: then the status line says so at once, with why a
// failed session failed.
func (p *Page) attach(s *spec.Session) tea.Cmd {
	if tty, known := s.HasTTY(); known && !tty {
		return common.StatusCmd(common.LevelWarning, "%s has no terminal (the server says so): send it a message (%s) instead", s.ID, p.Keys.Send.Help().Key)
	}
	if !s.Live() {
		return common.StatusCmd(common.LevelWarning, "session %s has %s%s: start a new one from the agents page", s.ID, statusText(s), failureText(s))
	}
	return common.AttachCmd(s)
}

// send opens the message view of s, unless the server says it has a
// terminal (its harness reads keys, not messages).
func (p *Page) send(s *spec.Session) tea.Cmd {
	if tty, known := s.HasTTY(); known && tty {
		return common.StatusCmd(common.LevelWarning, "%s has a terminal, not messages: attach to it (%s) instead", s.ID, p.Keys.Attach.Help().Key)
	}
	return p.openChat(*s)
}

// afterAttach opens the session's page when an attach did not simply
// end, so what the server said (a start timeout's diagnostics, a failure
// reason) stays on screen instead of a cut status line.
func (p *Page) afterAttach(msg common.AttachDoneMsg) tea.Cmd {
	var to *ptyattach.StartTimeoutError
	switch {
	case msg.Session == nil:
		return nil
	case errors.As(msg.Err, &to) && to.Session != nil:
		return p.openDetail(*to.Session, to.Error())
	case msg.Err != nil && !errors.Is(msg.Err, ptyattach.ErrStoppedWaiting):
		return p.openDetail(p.current(*msg.Session), common.ErrorText("attach", msg.Err))
	case msg.Exited && msg.ExitCode != 0:
		return p.openDetail(p.current(*msg.Session), fmt.Sprintf("the process exited with code %d", msg.ExitCode))
	}
	return nil
}

// failureText is ": <reason>" for a session the server says failed.
func failureText(s *spec.Session) string {
	if s.FailureReason == "" {
		return ""
	}
	return " (" + common.OneLine(s.FailureReason) + ")"
}

// View implements tea.Model.
func (p *Page) View() string {
	if p.confirm.Active() {
		return p.confirm.View()
	}
	if p.chat != nil {
		return p.chat.view(p)
	}
	if p.detail != nil {
		return p.detail.view(p)
	}
	st := p.Styles
	out := p.spinner.Heading(st.Title.Render("Sessions")+" "+st.Muted.Render(p.countText()), p.isBusy(), p.Width) + "\n"
	if p.loaded && len(p.list) == 0 {
		return out + common.EmptyTable(st, "No sessions: start one from the agents page ("+p.Keys.Start.Help().Key+").")
	}
	return out + p.table.View()
}

func (p *Page) countText() string {
	if !p.loaded {
		return "loading"
	}
	live := 0
	for i := range p.list {
		if p.list[i].Live() {
			live++
		}
	}
	return fmt.Sprintf("%d · %d live", len(p.list), live)
}

package sessions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
)

// HistoryMsg carries a session's message history.
type HistoryMsg struct {
	SessionID string
	Messages  []spec.Message
	Err       error
}

// ReplyMsg carries the reply to a sent message.
type ReplyMsg struct {
	SessionID string
	Text      string
	Reply     []spec.Message
	Err       error
}

// inputHeight is the text area's lines of text.
const inputHeight = 3

// chat is the session view: the transcript of an API-harness session in
// a viewport, and a text area to send the next message; a TUI session
// shows its fields and how to attach.
type chat struct {
	sess    spec.Session
	msgs    []spec.Message
	vp      viewport.Model
	input   textarea.Model
	loading bool
	waiting bool
	// stopWait cancels the reply being waited for; sentAt times it.
	stopWait context.CancelFunc
	sentAt   time.Time
	width    int
	// sendable: an API session outside read-only mode, so the view has
	// a text area.
	sendable bool
}

func (p *Page) openChat(s spec.Session) tea.Cmd {
	st := p.Styles
	c := &chat{sess: s, vp: viewport.New(), input: textarea.New(), loading: true}
	c.vp.KeyMap = viewport.KeyMap{}
	st.StyleTextarea(&c.input)
	c.input.Placeholder = "Message " + agentName(&s) + " (" + p.Keys.Submit.Help().Key + " sends, esc goes back)"
	c.input.ShowLineNumbers = false
	c.input.Prompt = ""
	c.input.CharLimit = 0
	p.chat = c
	c.sendable = c.api() && !p.ReadOnly()
	c.setSize(p.Width, p.Height)
	var cmds []tea.Cmd
	if c.sendable {
		cmds = append(cmds, c.input.Focus())
	}
	cmds = append(cmds, p.spinner.Start(historyCmd(p.Context(), p.Client, s.ID)))
	c.render(p)
	return tea.Batch(cmds...)
}

func historyCmd(ctx context.Context, c *client.Client, id string) tea.Cmd {
	return func() tea.Msg {
		msgs, err := c.Messages(ctx, id)
		return HistoryMsg{SessionID: id, Messages: msgs, Err: err}
	}
}

func sendCmd(ctx context.Context, c *client.Client, id, text string) tea.Cmd {
	return func() tea.Msg {
		reply, err := c.SendMessage(ctx, id, text, "")
		return ReplyMsg{SessionID: id, Text: text, Reply: reply, Err: err}
	}
}

func (c *chat) busy() bool { return c.loading || c.waiting }

func (c *chat) setSize(w, h int) {
	c.width = w
	c.input.SetWidth(max(w-2, 10)) // inside the border
	c.input.SetHeight(inputHeight)
	c.vp.SetWidth(w)
	c.vp.SetHeight(max(h-1, 1)) // the title line
	if c.sendable {
		c.vp.SetHeight(max(h-1-(inputHeight+2), 1)) // and the bordered text area
	}
}

func (c *chat) update(p *Page, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case HistoryMsg:
		if msg.SessionID != c.sess.ID || !c.loading {
			return nil
		}
		c.loading = false
		if msg.Err != nil {
			return common.ErrorCmd("messages of "+c.sess.ID, msg.Err)
		}
		c.msgs = msg.Messages
		c.render(p)
		c.vp.GotoBottom()
		return nil
	case ReplyMsg:
		if msg.SessionID != c.sess.ID || !c.waiting {
			return nil // the operator stopped waiting for it
		}
		c.waiting = false
		c.stopWait()
		if errors.Is(msg.Err, context.DeadlineExceeded) {
			c.render(p)
			return common.StatusCmd(common.LevelWarning, "no reply from %s after %s: gave up waiting (it may still answer: reopen the session to see)", c.sess.ID, time.Since(c.sentAt).Round(time.Second))
		}
		if msg.Err != nil {
			// Drop the optimistic copy and give the text back, so a
			// failed send loses nothing.
			if n := len(c.msgs); n > 0 && c.msgs[n-1].Info.Role == "user" {
				c.msgs = c.msgs[:n-1]
			}
			if c.input.Value() == "" {
				c.input.SetValue(msg.Text)
			}
			c.render(p)
			return common.ErrorCmd("send to "+c.sess.ID, msg.Err)
		}
		c.msgs = append(c.msgs, msg.Reply...)
		c.render(p)
		c.vp.GotoBottom()
		return nil
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

func (c *chat) onKey(p *Page, msg tea.KeyPressMsg) tea.Cmd {
	k := p.Keys
	switch {
	case key.Matches(msg, k.Back) && c.waiting:
		// Esc leaves the wait, not the view: the message was sent.
		c.waiting = false
		c.stopWait()
		return common.StatusCmd(common.LevelInfo, "stopped waiting for the reply of %s; it may still come (reopen the session to see it)", c.sess.ID)
	case key.Matches(msg, k.Back):
		p.chat = nil
		return nil
	case msg.String() == "pgup":
		c.vp.PageUp()
		return nil
	case msg.String() == "pgdown":
		c.vp.PageDown()
		return nil
	case !c.sendable:
		if a, ok := k.Refused(msg, k.Submit, k.Attach); ok {
			return common.Refuse(a)
		}
		switch {
		case key.Matches(msg, k.Up):
			c.vp.ScrollUp(1)
		case key.Matches(msg, k.Down):
			c.vp.ScrollDown(1)
		case key.Matches(msg, k.Attach), key.Matches(msg, k.Open):
			s := c.sess
			return p.attach(&s)
		case key.Matches(msg, k.Submit):
			return common.StatusCmd(common.LevelWarning, "%s runs a TUI harness: attach to it (%s)", c.sess.ID, k.Attach.Help().Key)
		}
		return nil
	case key.Matches(msg, k.Submit):
		text := strings.TrimSpace(c.input.Value())
		if text == "" || c.waiting {
			return nil
		}
		c.input.Reset()
		c.waiting = true
		c.sentAt = time.Now()
		ctx, cancel := context.WithCancel(p.Context())
		c.stopWait = cancel
		c.msgs = append(c.msgs, spec.Message{Info: spec.MessageInfo{Role: "user"}, Parts: []spec.Part{{Type: "text", Text: text}}})
		c.render(p)
		c.vp.GotoBottom()
		return p.spinner.Start(sendCmd(ctx, p.Client, c.sess.ID, text))
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

// render rebuilds the transcript; called when messages or the width
// change, not per frame.
func (c *chat) render(p *Page) {
	st := p.Styles
	if !c.sendable && !c.api() {
		c.vp.SetContent(c.fields(p))
		return
	}
	out := ""
	if len(c.msgs) == 0 && !c.loading {
		out = st.Muted.Render("No messages yet.")
	}
	c.vp.SetContent(out + transcript(p, &c.sess, c.msgs, c.width))
}

// api: the server says the session takes messages (no terminal).
func (c *chat) api() bool {
	tty, known := c.sess.HasTTY()
	return known && !tty
}

// transcript renders messages as "you" / agent blocks.
func transcript(p *Page, s *spec.Session, msgs []spec.Message, width int) string {
	st := p.Styles
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if m.Info.Role == "user" {
			b.WriteString(st.Chat.User.Render("you") + "\n")
		} else {
			b.WriteString(st.Chat.Assistant.Render(agentName(s)) + "\n")
		}
		b.WriteString(common.Wrap(strings.TrimSpace(m.Text()), width-2))
	}
	return b.String()
}

// fields is the TUI session's view: its state, and how to attach.
func (c *chat) fields(p *Page) string {
	st := p.Styles
	s := &c.sess
	var b strings.Builder
	line := func(l, v string) {
		if v == "" {
			v = "-"
		}
		b.WriteString(st.Detail.Label.Render(padRight(l, 14)) + st.Detail.Value.Render(v) + "\n")
	}
	line("Session", s.ID)
	line("Agent", agentName(s))
	line("Harness", harnessLabel(s))
	line("Status", statusText(s))
	line("Phase", s.Phase)
	line("Failure", s.FailureReason)
	b.WriteString("\n")
	if s.Live() && !p.ReadOnly() {
		b.WriteString(st.Accent.Render("Press " + p.Keys.Attach.Help().Key + " to attach; the detach keys bring you back here."))
	} else if p.ReadOnly() {
		b.WriteString(st.Muted.Render("Read-only mode: attaching is disabled."))
	}
	return b.String()
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

func (c *chat) view(p *Page) string {
	st := p.Styles
	title := st.Muted.Render("Sessions ›") + " " + st.Title.Render(c.sess.ID) + " " +
		st.Muted.Render(agentName(&c.sess)+" · "+statusText(&c.sess))
	if c.busy() {
		title += " " + p.spinner.View()
		if c.waiting {
			title += st.Muted.Render(fmt.Sprintf(" waiting for the reply (%s, esc stops waiting)…", time.Since(c.sentAt).Round(time.Second)))
		}
	}
	out := common.Truncate(title, p.Width) + "\n" + c.vp.View()
	if c.sendable {
		out += "\n" + p.Styles.Framed(c.input)
	}
	return out
}

package forms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"lapctl/client"
	"lapctl/spec"
)

// submitTimeout bounds a create or update, which may carry 10 MB of files.
const submitTimeout = 2 * time.Minute

// loginHint is what a 401 tells the operator.
const loginHint = "The server refused the key (401 Unauthorized). Log in with: lapctl login (or set LITELLM_MASTER_KEY or --api-key), then submit again; nothing you typed is lost."

type submitMsg struct {
	agent     *spec.Agent
	err       error
	unchanged bool
	sent      *spec.AgentSpec
	patch     *spec.AgentPatch
}

type sessionMsg struct {
	session *spec.Session
	status  string
	next    Next
	resumed bool
	err     error
}

// submit creates the agent, or in edit mode PATCHes what changed, in a
// tea.Cmd behind a spinner. The draft is untouched whatever happens.
func (b *Builder) submit() tea.Cmd {
	cmd := b.submitCmd()
	return tea.Batch(b.startSpin(), cmd)
}

// submitCmd is submit's server call alone (the accessible mode runs it
// without a spinner).
func (b *Builder) submitCmd() tea.Cmd {
	s := b.sendSpec()
	c, ctx := b.opts.Client, b.ctx
	b.mode, b.alert, b.notice = modeSubmitting, "", ""
	if b.editing() {
		p := patchOf(b.orig, s)
		if patchEmpty(p) {
			agent := *b.opts.Edit
			return func() tea.Msg { return submitMsg{agent: &agent, unchanged: true} }
		}
		id := b.opts.Edit.ID
		b.busy = "Saving the changes to " + id + "…"
		return func() tea.Msg {
			if c == nil {
				return submitMsg{err: errNoClient}
			}
			ctx, cancel := context.WithTimeout(ctx, submitTimeout)
			defer cancel()
			a, err := c.UpdateAgent(ctx, id, p)
			return submitMsg{agent: a, err: err, patch: p}
		}
	}
	b.busy = "Creating the agent…"
	return func() tea.Msg {
		if c == nil {
			return submitMsg{err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(ctx, submitTimeout)
		defer cancel()
		a, err := c.CreateAgent(ctx, s)
		return submitMsg{agent: a, err: err, sent: s}
	}
}

// submitted shows the saved agent, or sends the operator to what needs
// fixing: the step owning the faulty field, or the review.
func (b *Builder) submitted(msg submitMsg) tea.Cmd {
	b.busy = ""
	if msg.err == nil {
		b.result.Agent = msg.agent
		b.result.Sent, b.result.SentPatch, b.result.Losses = msg.sent, msg.patch, nil
		switch {
		case msg.sent != nil:
			b.result.Losses = client.CompareCreate(msg.sent, msg.agent)
		case msg.patch != nil:
			b.result.Losses = client.ComparePatch(msg.patch, msg.agent)
		}
		// Success supersedes every flash and field error before it: the
		// done page's head says what happened, and nothing contradicts it.
		b.mode, b.alert, b.notice = modeDone, "", ""
		clear(b.stepErr)
		b.done.unchanged = msg.unchanged
		return b.done.enter()
	}
	var es spec.Errors
	var fe *spec.FieldError
	var ae *client.APIError
	switch {
	case errors.As(msg.err, &es) && len(es) > 0:
		return b.jumpTo(es[0].Field, es[0].Message, "")
	case errors.As(msg.err, &fe):
		return b.jumpTo(fe.Field, fe.Message, "")
	case errors.As(msg.err, &ae):
		if ae.StatusCode == http.StatusUnauthorized {
			b.alert = loginHint
			return b.showReview()
		}
		// Every shape of 400 (a "field", zod issues) comes as field errors
		// in lapctl's names: each step owning one shows it, and the first
		// is shown now.
		if fes := ae.FieldErrors(); len(fes) > 0 {
			return b.jumpToAll(fes, "Server: ")
		}
		if ae.StatusCode == http.StatusNotFound && strings.Contains(ae.Message, "skill") {
			return b.jumpTo("skill_ids", ae.Message, "Server: ") // a server without "field" still names the skill
		}
		b.alert = fmt.Sprintf("Server (%d): %s", ae.StatusCode, ae.Message)
		return b.showReview()
	}
	b.alert = msg.err.Error()
	return b.showReview()
}

// doneMenu shows the saved agent and offers what to do next.
type doneMenu struct {
	b         *Builder
	form      *huh.Form
	choice    string
	unchanged bool // an edit with no change: nothing was sent
}

func newDoneMenu(b *Builder) *doneMenu { return &doneMenu{b: b} }

func (m *doneMenu) enter() tea.Cmd {
	a := m.b.result.Agent
	paused := a.Status == spec.StatusPaused
	resume := ""
	if paused {
		resume = " (resumes the paused agent first)"
	}
	opts := []huh.Option[string]{
		huh.NewOption("Done", "done"),
		huh.NewOption("Start a session"+resume, "session"),
	}
	if m.tui() {
		opts = append(opts, huh.NewOption("Start a session and attach to it"+resume, "attach"))
	}
	m.choice = "done"
	m.form = huh.NewForm(huh.NewGroup(huh.NewSelect[string]().Title("What next?").Options(opts...).Value(&m.choice))).
		WithTheme(m.b.theme).WithKeyMap(m.b.menu).WithShowHelp(true).WithWidth(m.b.width)
	m.refit()
	return m.form.Init()
}

func (m *doneMenu) tui() bool {
	a := m.b.result.Agent
	return a.SupportsTUI || m.b.harnessTTY(a.Harness)
}

func (m *doneMenu) refit() {
	if m.form == nil {
		return
	}
	m.form.WithWidth(m.b.width)
	fm, _ := m.form.Update(tea.WindowSizeMsg{Width: m.b.width, Height: m.b.bodyHeight() - 4})
	m.form = fm.(*huh.Form)
}

func (m *doneMenu) update(msg tea.Msg) tea.Cmd {
	fm, cmd := m.form.Update(msg)
	m.form = fm.(*huh.Form)
	if m.form.State != huh.StateCompleted {
		return cmd
	}
	switch m.choice {
	case "session":
		return m.b.startSession(NextSession)
	case "attach":
		return m.b.startSession(NextAttach)
	}
	return m.b.finish(NextNone)
}

func (m *doneMenu) view() string {
	b := m.b
	a := b.result.Agent
	verb := "Created"
	if b.editing() {
		verb = "Saved"
	}
	kind := "API"
	if m.tui() {
		kind = "TUI"
	}
	status := ""
	if a.Status != "" { // the managed server has no agent status
		status = " · status: " + a.Status
	}
	head := b.st.Success.Render(fmt.Sprintf("✓ %s agent %s", verb, a.ID))
	if m.unchanged {
		head = b.st.Success.Render(fmt.Sprintf("✓ No changes to agent %s: nothing was sent.", a.ID))
	}
	if losses := b.result.Losses; len(losses) > 0 {
		fields := make([]string, 0, len(losses))
		for _, l := range losses {
			fields = append(fields, l.Field)
		}
		head = b.st.Warning.Render(wrapText(fmt.Sprintf("! %s agent %s, but the %s server did not keep: %s", verb, a.ID, b.caps.Platform, strings.Join(fields, ", ")), b.width))
	}
	lines := []string{
		head,
		b.st.Text.Render(fmt.Sprintf("  name: %s%s · harness: %s (%s)", a.Name, status, a.Harness, kind)),
	}
	for _, l := range b.result.Losses {
		lines = append(lines, b.st.Warning.Render(truncate("  warning: "+l.String(), b.width)))
	}
	lines = append(lines, "", m.form.View())
	return strings.Join(lines, "\n")
}

// startSession starts a session of the saved agent, resuming it first
// when it is paused (new agents are), in a tea.Cmd behind a spinner.
func (b *Builder) startSession(next Next) tea.Cmd {
	cmd := b.sessionCmd(next)
	return tea.Batch(b.startSpin(), cmd)
}

// sessionCmd is startSession's server calls alone.
func (b *Builder) sessionCmd(next Next) tea.Cmd {
	a := *b.result.Agent
	c, ctx := b.opts.Client, b.ctx
	b.mode, b.alert = modeStarting, ""
	b.busy = "Starting a session of " + a.ID + "…"
	if a.Status == spec.StatusPaused {
		b.busy = "Resuming the paused agent " + a.ID + ", then starting a session…"
	}
	return func() tea.Msg {
		if c == nil {
			return sessionMsg{err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(ctx, submitTimeout)
		defer cancel()
		msg := sessionMsg{next: next, status: a.Status}
		if a.Status == spec.StatusPaused {
			st, err := c.ResumeAgent(ctx, a.ID)
			if err != nil {
				msg.err = fmt.Errorf("resuming the agent: %w", err)
				return msg
			}
			msg.resumed, msg.status = true, st.Status
		}
		msg.session, msg.err = c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID})
		return msg
	}
}

func (b *Builder) sessionStarted(msg sessionMsg) tea.Cmd {
	b.busy = ""
	if msg.resumed {
		agent := *b.result.Agent
		agent.Status = msg.status
		b.result.Agent = &agent
	}
	if msg.err != nil {
		b.mode = modeDone
		b.alert = "Could not start a session: " + msg.err.Error()
		if client.IsUnauthorized(msg.err) {
			b.alert = "Could not start a session: the server refused the key (401). Log in with: lapctl login"
		}
		return b.done.enter()
	}
	b.result.Session = msg.session
	return b.finish(msg.next)
}

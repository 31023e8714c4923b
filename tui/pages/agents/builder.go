package agents

import (
	tea "charm.land/bubbletea/v2"

	"lapctl/forms"
	"lapctl/spec"
	"lapctl/tui/common"
)

// EditLoadedMsg carries the full agent an edit starts from.
type EditLoadedMsg struct {
	Agent *spec.Agent
	Err   error
}

// builderState embeds the agent builder (package forms) while it is open.
type builderState struct {
	b       *forms.Builder
	loading bool
	prev    mode // the view to return to when the builder closes
}

// open starts the builder: at once for a new agent, after fetching the
// full agent for an edit (the list row may lack fields or be stale).
func (s *builderState) open(p *Page, edit *spec.Agent) tea.Cmd {
	if edit == nil {
		return s.start(p, nil)
	}
	s.loading = true
	id, ctx, c := edit.ID, p.Context(), p.Client
	p.pending++
	return p.spinner.Start(func() tea.Msg {
		a, err := c.GetAgent(ctx, id)
		return EditLoadedMsg{Agent: a, Err: err}
	})
}

func (s *builderState) start(p *Page, edit *spec.Agent) tea.Cmd {
	s.b = forms.NewBuilder(forms.Options{
		Client:          p.Client,
		Context:         p.Context(),
		LightBackground: !p.Styles.Dark,
		Theme:           p.Theme,
		OwnerID:         p.OwnerID,
		DefaultModel:    p.DefaultModel,
		Edit:            edit,
		Width:           p.Width,
		Height:          p.Height,
	})
	s.prev, p.mode = p.mode, modeBuilder
	// A flash about an earlier builder ("closed: nothing saved") would
	// otherwise sit under this one, even under its "✓ Created".
	return tea.Batch(common.StatusCmd(common.LevelInfo, ""), s.b.Init())
}

func (s *builderState) setSize(w, h int) {
	if s.b != nil {
		s.b.SetSize(w, h)
	}
}

func (s *builderState) view() string {
	if s.b == nil {
		return ""
	}
	return s.b.View()
}

// update handles the builder's messages; ok is false for a message that
// is not the builder's business (and the builder is closed).
func (s *builderState) update(p *Page, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case EditLoadedMsg:
		if !s.loading {
			return nil, true
		}
		s.loading = false
		p.pending = max(p.pending-1, 0)
		if msg.Err != nil {
			return common.ErrorCmd("edit agent", msg.Err), true
		}
		return s.start(p, msg.Agent), true
	case forms.CancelMsg:
		s.close(p)
		return common.StatusCmd(common.LevelInfo, "agent builder closed: nothing saved"), true
	case forms.DoneMsg:
		s.close(p)
		return done(p, msg.Result), true
	}
	if s.b == nil {
		return nil, false
	}
	_, cmd := s.b.Update(msg)
	return cmd, true
}

func (s *builderState) close(p *Page) {
	s.b = nil
	if p.mode == modeBuilder {
		p.mode = s.prev
	}
}

// done follows the builder's result: reload the list, show the agent,
// and go on to its new session when one was started.
func done(p *Page, r forms.Result) tea.Cmd {
	cmds := []tea.Cmd{p.reload()}
	if r.Agent != nil {
		cmds = append(cmds, common.StatusCmd(common.LevelSuccess, "saved agent %s (%s)", r.Agent.Name, r.Agent.ID))
		if p.mode == modeDetail {
			p.detail.agent = r.Agent
			p.detail.render(p.Styles, p.Now())
		}
	}
	if r.Session != nil {
		cmds = append(cmds, common.SessionCreatedCmd(r.Session))
		switch r.Next {
		case forms.NextAttach:
			cmds = append(cmds, common.AttachCmd(r.Session))
		case forms.NextSession:
			cmds = append(cmds, common.SwitchPageCmd(common.PageSessions))
		}
	}
	return tea.Sequence(cmds...)
}

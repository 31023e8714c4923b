package sessions

import (
	"context"
	"errors"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
)

// DefaultPollInterval is how often the visible sessions list refreshes.
const DefaultPollInterval = 2 * time.Second

// MaxPollInterval caps the backoff after failed polls.
const MaxPollInterval = 30 * time.Second

// PollMsg is the timer of the live refresh; a Gen older than the page's
// current one belongs to a superseded chain and is dropped, so there is
// never more than one poll loop.
type PollMsg struct{ Gen int }

// ListMsg carries the sessions of one poll.
type ListMsg struct {
	Gen      int
	Sessions []spec.Session
	Err      error
}

// poller is the live refresh's state: one chain of tick → fetch → tick,
// running only while the page is visible and the terminal is not handed
// to an attached session, slowing down while the server fails.
type poller struct {
	gen      int
	interval time.Duration
	delay    time.Duration
	active   bool
	attached bool
	inflight bool
	scope    client.Scope
	// known lists the sessions on screen: where the server has no
	// session list (managed), each is fetched on its own.
	known func() []string
}

func newPoller(interval time.Duration) poller {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	return poller{interval: interval, delay: interval}
}

// running reports whether polls should be made now.
func (p *poller) running() bool { return p.active && !p.attached }

// refresh starts a new chain with an immediate fetch.
func (p *poller) refresh(ctx context.Context, c *client.Client) tea.Cmd {
	p.gen++
	p.inflight = true
	return fetch(ctx, c, p.scope, p.known, p.gen)
}

// tick handles a PollMsg: a fetch if it belongs to the live chain.
func (p *poller) tick(ctx context.Context, c *client.Client, msg PollMsg) tea.Cmd {
	if msg.Gen != p.gen || !p.running() || p.inflight {
		return nil
	}
	p.inflight = true
	return fetch(ctx, c, p.scope, p.known, p.gen)
}

// done handles a ListMsg: it reports whether the message is current, and
// returns the next tick, backing off (doubling, capped) after an error.
func (p *poller) done(msg ListMsg) (bool, tea.Cmd) {
	if msg.Gen != p.gen {
		return false, nil
	}
	p.inflight = false
	if msg.Err != nil {
		p.delay = min(max(p.delay*2, p.interval), MaxPollInterval)
	} else {
		p.delay = p.interval
	}
	if !p.running() {
		return true, nil
	}
	gen := p.gen
	return true, tea.Tick(p.delay, func(time.Time) tea.Msg { return PollMsg{Gen: gen} })
}

func fetch(ctx context.Context, c *client.Client, scope client.Scope, known func() []string, gen int) tea.Cmd {
	var ids []string
	if known != nil {
		ids = known()
	}
	return func() tea.Msg {
		s, err := c.ListSessions(ctx, "")
		var ue *client.UnsupportedError
		if errors.As(err, &ue) {
			// No list on this server: the page shows the sessions the
			// console started (announced by SessionCreatedMsg).
			s, err = getEach(ctx, c, ids)
		}
		if err == nil {
			s, err = scope.Sessions(ctx, c, s)
		}
		if err == nil {
			err = nameAgents(ctx, c, s)
		}
		return ListMsg{Gen: gen, Sessions: s, Err: err}
	}
}

// getEach fetches sessions one by one, for a server without a list;
// a session gone from the server is dropped.
func getEach(ctx context.Context, c *client.Client, ids []string) ([]spec.Session, error) {
	out := make([]spec.Session, 0, len(ids))
	for _, id := range ids {
		s, err := c.GetSession(ctx, id)
		switch {
		case client.IsNotFound(err):
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, *s)
	}
	return out, nil
}

// nameAgents puts the agent's name in place of its id in session.agent,
// which servers answer with the id (the gateway, and lapctl serve like
// it), and the agent's harness where the session names none (the managed
// platform's sessions carry no harness); the pages show both.
func nameAgents(ctx context.Context, c *client.Client, sessions []spec.Session) error {
	var ids []string
	for i := range sessions {
		s := &sessions[i]
		if s.AgentID != "" && (s.Agent == s.AgentID || s.Harness == "") && !slices.Contains(ids, s.AgentID) {
			ids = append(ids, s.AgentID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	byID, err := agentsByID(ctx, c, ids)
	if err != nil {
		return err
	}
	for i := range sessions {
		s := &sessions[i]
		a := byID[s.AgentID]
		if a == nil {
			continue
		}
		if a.Name != "" && s.Agent == s.AgentID {
			s.Agent = a.Name
		}
		if s.Harness == "" {
			s.Harness = a.Harness
		}
	}
	return nil
}

// fewAgents is how many agents nameAgents fetches one by one; past it,
// one list of every agent costs fewer requests.
const fewAgents = 8

// agentsByID fetches the agents ids name (an agent deleted meanwhile is
// left out).
func agentsByID(ctx context.Context, c *client.Client, ids []string) (map[string]*spec.Agent, error) {
	byID := make(map[string]*spec.Agent, len(ids))
	if len(ids) <= fewAgents {
		for _, id := range ids {
			a, err := c.GetAgent(ctx, id)
			switch {
			case client.IsNotFound(err):
				continue
			case err != nil:
				return nil, err
			}
			byID[id] = a
		}
		return byID, nil
	}
	agents, err := c.ListAllAgents(ctx, client.ListAgentsParams{})
	if err != nil {
		return nil, err
	}
	for i := range agents {
		byID[agents[i].ID] = &agents[i]
	}
	return byID, nil
}

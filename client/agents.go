package client

import (
	"context"
	"net/url"
	"strconv"

	"lapctl/spec"
)

// ListAgentsParams are the query of GET /api/agents; zero values are left out.
type ListAgentsParams struct {
	OwnerID string
	Search  string
	Limit   int
	Offset  int
	Sort    string
	Order   string
}

func (p ListAgentsParams) values() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("owner_id", p.OwnerID)
	set("search", p.Search)
	set("sort", p.Sort)
	set("order", p.Order)
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	return q
}

// AgentPage is one page of agents. ServerPaged is false when the server
// ignored paging and sent every agent at once; every dialect of this
// client pages (and filters, and sorts) locally where its server does not,
// so a page from the facade is always a real page (ServerPaged true).
type AgentPage struct {
	spec.AgentList
	ServerPaged bool
}

// ListAgents fetches one page of agents.
func (c *Client) ListAgents(ctx context.Context, p ListAgentsParams) (*AgentPage, error) {
	page, err := run(c, ctx, func(d dialect) (*AgentPage, error) { return d.listAgents(ctx, p) })
	if err != nil {
		return nil, err
	}
	if page.Agents == nil {
		page.Agents = []spec.Agent{}
	}
	return page, nil
}

// ListAllAgents walks every page (search and owner filters apply).
func (c *Client) ListAllAgents(ctx context.Context, p ListAgentsParams) ([]spec.Agent, error) {
	p.Limit, p.Offset = spec.MaxListLimit, 0
	var all []spec.Agent
	for {
		page, err := c.ListAgents(ctx, p)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Agents...)
		if !page.ServerPaged || len(page.Agents) == 0 || len(all) >= page.Total {
			return all, nil
		}
		p.Offset += len(page.Agents)
	}
}

// GetAgent fetches one agent by id.
func (c *Client) GetAgent(ctx context.Context, id string) (*spec.Agent, error) {
	return run(c, ctx, func(d dialect) (*spec.Agent, error) { return d.getAgent(ctx, id) })
}

// CreateAgent validates s with the shared rules (returning spec.Errors
// without sending anything when they fail) and creates it. It sends
// fields the platform does not store as they are: check first with
// Unstored, and compare the result with CompareCreate.
func (c *Client) CreateAgent(ctx context.Context, s *spec.AgentSpec) (*spec.Agent, error) {
	check := *s
	if check.OwnerID == "" {
		// The managed server takes the owner from the key: no owner_id.
		if p, _ := c.Detect(ctx); CapabilitiesOf(p).OwnerFromKey {
			check.OwnerID = "owner-from-key"
		}
	}
	if err := check.Validate(); err != nil {
		return nil, err
	}
	return run(c, ctx, func(d dialect) (*spec.Agent, error) { return d.createAgent(ctx, s) })
}

// UpdateAgent validates and changes the fields p sets.
func (c *Client) UpdateAgent(ctx context.Context, id string, p *spec.AgentPatch) (*spec.Agent, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return run(c, ctx, func(d dialect) (*spec.Agent, error) { return d.updateAgent(ctx, id, p) })
}

// DeleteAgent deletes an agent and stops its sessions.
func (c *Client) DeleteAgent(ctx context.Context, id string) error {
	_, err := run(c, ctx, func(d dialect) (struct{}, error) { return struct{}{}, d.deleteAgent(ctx, id) })
	return err
}

// PauseAgent pauses an agent.
func (c *Client) PauseAgent(ctx context.Context, id string) (*spec.AgentStatus, error) {
	return run(c, ctx, func(d dialect) (*spec.AgentStatus, error) { return d.agentAction(ctx, id, "pause") })
}

// ResumeAgent resumes an agent.
func (c *Client) ResumeAgent(ctx context.Context, id string) (*spec.AgentStatus, error) {
	return run(c, ctx, func(d dialect) (*spec.AgentStatus, error) { return d.agentAction(ctx, id, "resume") })
}

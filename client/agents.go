package client

import (
	"context"
	"net/http"
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
// ignored paging ([ext]) and sent every agent at once.
type AgentPage struct {
	spec.AgentList
	ServerPaged bool
}

// ListAgents fetches one page of GET /api/agents.
func (c *Client) ListAgents(ctx context.Context, p ListAgentsParams) (*AgentPage, error) {
	var raw struct {
		Agents []spec.Agent `json:"agents"`
		Total  *int         `json:"total"`
		Limit  int          `json:"limit"`
		Offset int          `json:"offset"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/agents", query: p.values(), result: &raw}); err != nil {
		return nil, err
	}
	page := &AgentPage{AgentList: spec.AgentList{Agents: raw.Agents, Limit: raw.Limit, Offset: raw.Offset}}
	if raw.Total != nil {
		page.Total, page.ServerPaged = *raw.Total, true
	} else {
		page.Total, page.Limit, page.Offset = len(raw.Agents), len(raw.Agents), 0
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
	var out spec.Agent
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/agents/" + escape(id), result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateAgent validates s with the shared rules (returning spec.Errors
// without sending anything when they fail) and POSTs it.
func (c *Client) CreateAgent(ctx context.Context, s *spec.AgentSpec) (*spec.Agent, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var out spec.Agent
	if err := c.do(ctx, call{method: http.MethodPost, path: "/api/agents", body: s, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAgent validates and PATCHes the fields p sets.
func (c *Client) UpdateAgent(ctx context.Context, id string, p *spec.AgentPatch) (*spec.Agent, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out spec.Agent
	if err := c.do(ctx, call{method: http.MethodPatch, path: "/api/agents/" + escape(id), body: p, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAgent deletes an agent and stops its sessions; any 2xx is success,
// whatever its body.
func (c *Client) DeleteAgent(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/api/agents/" + escape(id)})
}

// PauseAgent pauses an agent.
func (c *Client) PauseAgent(ctx context.Context, id string) (*spec.AgentStatus, error) {
	return c.agentAction(ctx, id, "pause")
}

// ResumeAgent resumes an agent.
func (c *Client) ResumeAgent(ctx context.Context, id string) (*spec.AgentStatus, error) {
	return c.agentAction(ctx, id, "resume")
}

func (c *Client) agentAction(ctx context.Context, id, action string) (*spec.AgentStatus, error) {
	var out spec.AgentStatus
	if err := c.do(ctx, call{method: http.MethodPost, path: "/api/agents/" + escape(id) + "/" + action, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

package client

import (
	"context"
	"net/http"
	"net/url"

	"lapctl/spec"
)

// ListSkills lists skills, of one owner when ownerID is set.
func (c *Client) ListSkills(ctx context.Context, ownerID string) ([]spec.Skill, error) {
	var q url.Values
	if ownerID != "" {
		q = url.Values{"owner_id": {ownerID}}
	}
	if err := c.need(ctx, "skills", func(k Capabilities) bool { return k.Skills }); err != nil {
		return nil, err
	}
	var out struct {
		Skills []spec.Skill `json:"skills"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/skills", query: q, result: &out}); err != nil {
		return nil, err
	}
	if out.Skills == nil {
		out.Skills = []spec.Skill{}
	}
	return out.Skills, nil
}

// GetSkill fetches one skill.
func (c *Client) GetSkill(ctx context.Context, id string) (*spec.Skill, error) {
	if err := c.need(ctx, "skills", func(k Capabilities) bool { return k.Skills }); err != nil {
		return nil, err
	}
	var out spec.Skill
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/skills/" + escape(id), result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateSkill validates and creates a skill.
func (c *Client) CreateSkill(ctx context.Context, s *spec.SkillSpec) (*spec.Skill, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := c.need(ctx, "skills", func(k Capabilities) bool { return k.Skills }); err != nil {
		return nil, err
	}
	var out spec.Skill
	if err := c.do(ctx, call{method: http.MethodPost, path: "/api/skills", body: s, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateSkill validates and PATCHes the fields p sets.
func (c *Client) UpdateSkill(ctx context.Context, id string, p *spec.SkillPatch) (*spec.Skill, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := c.need(ctx, "skills", func(k Capabilities) bool { return k.Skills }); err != nil {
		return nil, err
	}
	var out spec.Skill
	if err := c.do(ctx, call{method: http.MethodPatch, path: "/api/skills/" + escape(id), body: p, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSkill deletes a skill.
func (c *Client) DeleteSkill(ctx context.Context, id string) error {
	if err := c.need(ctx, "skills", func(k Capabilities) bool { return k.Skills }); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: "/api/skills/" + escape(id)})
}

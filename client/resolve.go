package client

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"lapctl/spec"
)

// RefError says a name or id matched no object, or more than one.
type RefError struct {
	Kind       string // "agent", "session", "skill"
	Ref        string
	Candidates []string // "id (name)" of every match when ambiguous
}

func (e *RefError) Error() string {
	if len(e.Candidates) == 0 {
		return fmt.Sprintf("no %s matches %q: list them with lapctl %ss list", e.Kind, e.Ref, e.Kind)
	}
	return fmt.Sprintf("%q matches %d %ss: %s; give a full id", e.Ref, len(e.Candidates), e.Kind, strings.Join(e.Candidates, ", "))
}

// match picks one object out of candidates by exact id, exact name (case
// insensitive) or unique id prefix, in that order.
func match[T any](kind, ref string, items []T, id, name func(T) string) (*T, error) {
	var byName, byPrefix []int
	for i, it := range items {
		switch {
		case id(it) == ref:
			return &items[i], nil
		case strings.EqualFold(name(it), ref):
			byName = append(byName, i)
		case strings.HasPrefix(id(it), ref):
			byPrefix = append(byPrefix, i)
		}
	}
	for _, set := range [][]int{byName, byPrefix} {
		switch len(set) {
		case 0:
			continue
		case 1:
			return &items[set[0]], nil
		default:
			e := &RefError{Kind: kind, Ref: ref}
			for _, i := range set {
				e.Candidates = append(e.Candidates, fmt.Sprintf("%s (%s)", id(items[i]), name(items[i])))
			}
			return nil, e
		}
	}
	return nil, &RefError{Kind: kind, Ref: ref}
}

// ResolveAgent finds an agent by id, exact name or unique id prefix.
func (c *Client) ResolveAgent(ctx context.Context, ref string) (*spec.Agent, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "agent_") {
		a, err := c.GetAgent(ctx, ref)
		if err == nil || !IsNotFound(err) {
			return a, err
		}
	}
	agents, err := c.ListAllAgents(ctx, ListAgentsParams{Search: ref})
	if err != nil {
		return nil, err
	}
	a, err := match("agent", ref, agents, func(a spec.Agent) string { return a.ID }, func(a spec.Agent) string { return a.Name })
	if err != nil {
		return nil, err
	}
	return a, nil
}

// ResolveSession finds a session by id, exact title or unique id prefix.
func (c *Client) ResolveSession(ctx context.Context, ref string) (*spec.Session, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "ses_") {
		s, err := c.GetSession(ctx, ref)
		if err == nil || !IsNotFound(err) {
			return s, err
		}
	}
	sessions, err := c.ListSessions(ctx, "")
	var unsupported *UnsupportedError
	if errors.As(err, &unsupported) {
		// No session list (managed): the reference must be a whole id.
		s, gerr := c.GetSession(ctx, ref)
		if IsNotFound(gerr) {
			return nil, fmt.Errorf("%w; give the session's whole id", err)
		}
		return s, gerr
	}
	if err != nil {
		return nil, err
	}
	return match("session", ref, sessions, func(s spec.Session) string { return s.ID }, func(s spec.Session) string { return s.Title })
}

// ResolveSkill finds a skill by id, exact name or unique id prefix.
func (c *Client) ResolveSkill(ctx context.Context, ref string) (*spec.Skill, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "skill_") {
		s, err := c.GetSkill(ctx, ref)
		if err == nil || !IsNotFound(err) {
			return s, err
		}
	}
	skills, err := c.ListSkills(ctx, "")
	if err != nil {
		return nil, err
	}
	return match("skill", ref, skills, func(s spec.Skill) string { return s.ID }, func(s spec.Skill) string { return s.Name })
}

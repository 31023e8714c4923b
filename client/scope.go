package client

import (
	"context"

	"lapctl/spec"
)

// Scope limits a caller to one owner's objects: an SSH user acting as an
// owner shares the operator's master key, which reaches every owner's, so
// the console and the commands filter by Scope. The zero Scope (a local
// operator) sees everything.
type Scope struct {
	Owner string
}

// All reports whether the scope is unrestricted.
func (s Scope) All() bool { return s.Owner == "" }

// Owns reports whether an object of owner is in scope.
func (s Scope) Owns(owner string) bool { return s.All() || owner == s.Owner }

// CanRead reports whether a skill of owner may be read: shared skills (no
// owner) are readable by everyone, changeable only unscoped.
func (s Scope) CanRead(skillOwner string) bool { return skillOwner == "" || s.Owns(skillOwner) }

// Sessions keeps the sessions of agents in scope.
func (s Scope) Sessions(ctx context.Context, c *Client, sessions []spec.Session) ([]spec.Session, error) {
	if s.All() {
		return sessions, nil
	}
	agents, err := c.ListAllAgents(ctx, ListAgentsParams{OwnerID: s.Owner})
	if err != nil {
		return nil, err
	}
	mine := make(map[string]bool, len(agents))
	for _, a := range agents {
		mine[a.ID] = true
	}
	out := []spec.Session{}
	for _, sess := range sessions {
		if mine[sess.AgentID] {
			out = append(out, sess)
		}
	}
	return out, nil
}

// OwnsSession reports whether the session's agent is in scope.
func (s Scope) OwnsSession(ctx context.Context, c *Client, sess *spec.Session) (bool, error) {
	if s.All() {
		return true, nil
	}
	a, err := c.GetAgent(ctx, sess.AgentID)
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.Owns(a.OwnerID), nil
}

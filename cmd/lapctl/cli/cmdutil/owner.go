package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"lapctl/client"
	"lapctl/spec"
)

// Owns reports whether the caller may act on an object of owner: anything
// for a local operator, only their own objects when acting as an identity
// (an SSH user), whose master key would otherwise reach every owner's.
func (f *Factory) Owns(owner string) bool { return f.Scope().Owns(owner) }

// Scope is what the caller may see: one owner's objects for an identity.
func (f *Factory) Scope() client.Scope { return client.Scope{Owner: f.Identity} }

// ResolveAgent resolves ref to an agent the caller owns; another owner's
// agent is reported as not found, as if it did not exist.
func ResolveAgent(ctx context.Context, f *Factory, c *client.Client, ref string) (*spec.Agent, error) {
	a, err := c.ResolveAgent(ctx, ref)
	if id, picked, perr := pickAmbiguous(ctx, f, err); perr != nil {
		return nil, perr
	} else if picked {
		a, err = c.ResolveAgent(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if !f.Owns(a.OwnerID) {
		return nil, &client.RefError{Kind: "agent", Ref: ref}
	}
	return a, nil
}

// ResolveSkill resolves ref to a skill the caller may use. Shared skills
// (no owner) may be read by anyone but changed only by an operator.
func ResolveSkill(ctx context.Context, f *Factory, c *client.Client, ref string, change bool) (*spec.Skill, error) {
	s, err := c.ResolveSkill(ctx, ref)
	if id, picked, perr := pickAmbiguous(ctx, f, err); perr != nil {
		return nil, perr
	} else if picked {
		s, err = c.ResolveSkill(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if (change && !f.Owns(s.OwnerID)) || !f.Scope().CanRead(s.OwnerID) {
		return nil, &client.RefError{Kind: "skill", Ref: ref}
	}
	return s, nil
}

// ResolveSession resolves ref to a session of an agent the caller owns.
func ResolveSession(ctx context.Context, f *Factory, c *client.Client, ref string) (*spec.Session, error) {
	s, err := c.ResolveSession(ctx, ref)
	if id, picked, perr := pickAmbiguous(ctx, f, err); perr != nil {
		return nil, perr
	} else if picked {
		s, err = c.ResolveSession(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	ok, err := f.Scope().OwnsSession(ctx, c, s)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &client.RefError{Kind: "session", Ref: ref}
	}
	return s, nil
}

// OwnSessions keeps the sessions of agents the caller owns.
func OwnSessions(ctx context.Context, f *Factory, c *client.Client, sessions []spec.Session) ([]spec.Session, error) {
	return f.Scope().Sessions(ctx, c, sessions)
}

// pickAmbiguous turns an ambiguous reference into a choice on a terminal:
// the matches in a list (id and name), the one picked returned as an id.
// Without a terminal the ambiguity stays an error naming the matches.
func pickAmbiguous(ctx context.Context, f *Factory, err error) (string, bool, error) {
	var refErr *client.RefError
	if !errors.As(err, &refErr) || len(refErr.Candidates) < 2 || !f.IOStreams.CanPrompt() {
		return "", false, nil
	}
	sel, ok := f.Prompt().(Selecter)
	if !ok {
		return "", false, nil
	}
	v, err := sel.Select(ctx, fmt.Sprintf("%q matches %d %ss: which one?", refErr.Ref, len(refErr.Candidates), refErr.Kind), refErr.Candidates, refErr.Candidates[0])
	if err != nil {
		return "", false, err
	}
	id, _, _ := strings.Cut(v, " (")
	return id, true, nil
}

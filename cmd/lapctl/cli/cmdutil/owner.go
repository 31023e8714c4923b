package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"lapctl/client"
	"lapctl/spec"
)

// ResolveAgent resolves ref to an agent the caller owns; another owner's
// agent is reported as not found, as if it did not exist.
func ResolveAgent(ctx context.Context, who Caller, c *client.Client, ref string) (*spec.Agent, error) {
	a, err := c.ResolveAgent(ctx, ref)
	if id, picked, perr := pickAmbiguous(ctx, who, err); perr != nil {
		return nil, perr
	} else if picked {
		a, err = c.ResolveAgent(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if !who.Owns(a.OwnerID) {
		return nil, &client.RefError{Kind: "agent", Ref: ref}
	}
	return a, nil
}

// ResolveSkill resolves ref to a skill the caller may use. Shared skills
// (no owner) may be read by anyone but changed only by an operator.
func ResolveSkill(ctx context.Context, who Caller, c *client.Client, ref string, change bool) (*spec.Skill, error) {
	s, err := c.ResolveSkill(ctx, ref)
	if id, picked, perr := pickAmbiguous(ctx, who, err); perr != nil {
		return nil, perr
	} else if picked {
		s, err = c.ResolveSkill(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if (change && !who.Owns(s.OwnerID)) || !who.Scope().CanRead(s.OwnerID) {
		return nil, &client.RefError{Kind: "skill", Ref: ref}
	}
	return s, nil
}

// ResolveSession resolves ref to a session of an agent the caller owns.
func ResolveSession(ctx context.Context, who Caller, c *client.Client, ref string) (*spec.Session, error) {
	s, err := c.ResolveSession(ctx, ref)
	if id, picked, perr := pickAmbiguous(ctx, who, err); perr != nil {
		return nil, perr
	} else if picked {
		s, err = c.ResolveSession(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	ok, err := who.Scope().OwnsSession(ctx, c, s)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &client.RefError{Kind: "session", Ref: ref}
	}
	return s, nil
}

// OwnSessions keeps the sessions of agents the caller owns.
func OwnSessions(ctx context.Context, who Caller, c *client.Client, sessions []spec.Session) ([]spec.Session, error) {
	return who.Scope().Sessions(ctx, c, sessions)
}

// pickAmbiguous turns an ambiguous reference into a choice on a terminal:
// the matches in a list (id and name), the one picked returned as an id.
// Without a terminal the ambiguity stays an error naming the matches.
func pickAmbiguous(ctx context.Context, who Caller, err error) (string, bool, error) {
	var refErr *client.RefError
	if !errors.As(err, &refErr) || len(refErr.Candidates) < 2 {
		return "", false, nil
	}
	sel, ok := who.prompter().(Selecter)
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

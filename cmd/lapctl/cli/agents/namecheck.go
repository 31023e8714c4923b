package agents

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// checkDuplicateName: the platform lets two agents share a name, after
// which every name-based command is ambiguous. A terminal is warned and
// asked; a script must say --allow-duplicate-name.
func checkDuplicateName(ctx context.Context, who cmdutil.Caller, c *client.Client, name string, allow bool) error {
	if allow || name == "" {
		return nil
	}
	page, err := c.ListAgents(ctx, client.ListAgentsParams{Search: name, Limit: 100})
	if err != nil {
		return err
	}
	var ids []string
	for _, a := range page.Agents {
		if a.Name == name {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	p := who.Prompter
	if p == nil || !who.IO.CanPrompt() {
		return cmdutil.FlagErrorf("an agent named %q already exists (%v): names would become ambiguous; pick another --name, or pass --allow-duplicate-name", name, ids)
	}
	fmt.Fprintf(who.IO.ErrOut, "warning: an agent named %q already exists (%v); commands that take the name will then ask which one\n", name, ids)
	ok, err := p().Confirm(ctx, fmt.Sprintf("Create a second agent named %q?", name), false)
	if err != nil {
		return err
	}
	if !ok {
		return cmdutil.ErrCancel
	}
	return nil
}

// checkAgainstServer is --dry-run's read-only look at the server: the
// harness, model and skills must be ones it lists.
func checkAgainstServer(ctx context.Context, who cmdutil.Caller, c *client.Client, s *spec.AgentSpec) error {
	var es spec.Errors
	if s.Harness != "" {
		if hs, err := c.Harnesses(ctx); err == nil {
			ids := make([]string, 0, len(hs))
			for _, h := range hs {
				ids = append(ids, h.ID)
			}
			if !slices.Contains(ids, s.Harness) {
				es = append(es, &spec.FieldError{Field: "harness", Rule: "known_harness",
					Message: fmt.Sprintf("the server has no harness %q: use one of %v (lapctl harnesses)", s.Harness, ids)})
			}
		} else if !isUnsupported(err) {
			return err
		}
	}
	if s.Model != "" {
		if ms, err := c.Models(ctx); err == nil && len(ms) > 0 {
			ids := make([]string, 0, len(ms))
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			if !slices.Contains(ids, s.Model) {
				es = append(es, &spec.FieldError{Field: "model", Rule: "known_model",
					Message: fmt.Sprintf("the server lists no model %q: see lapctl models", s.Model)})
			}
		} else if err != nil && !isUnsupported(err) {
			return err
		}
	}
	if _, err := resolveSkills(ctx, who, c, s.SkillIDs); err != nil {
		if len(es) == 0 {
			return err
		}
		es = append(es, &spec.FieldError{Field: "skill_ids", Rule: "known_skill", Message: err.Error()})
	}
	if len(es) > 0 {
		return fmt.Errorf("dry run, nothing was sent: %w", es)
	}
	return nil
}

func isUnsupported(err error) bool {
	var u *client.UnsupportedError
	return errors.As(err, &u)
}

package cmdutil

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/spec"
)

// CompletionTimeout bounds the server lookups behind tab completion: a
// slow or absent server must not hang the shell.
const CompletionTimeout = 2 * time.Second

// completer turns a lookup into a cobra completion func: it runs under a
// short timeout, and any error (no server, bad key) yields no completions
// rather than a message in the middle of the user's command line.
func completer(f *Factory, lookup func(ctx context.Context, c *client.Client, toComplete string) ([]string, error)) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		c, err := f.Client()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		parent := cmd.Context()
		if parent == nil {
			parent = context.Background()
		}
		ctx, cancel := context.WithTimeout(parent, CompletionTimeout)
		defer cancel()
		cands, err := lookup(ctx, c, toComplete)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, cand := range cands {
			value, _, _ := strings.Cut(cand, "\t")
			if strings.HasPrefix(value, toComplete) && !slices.Contains(args, value) {
				out = append(out, cand)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// idAndName offers an object both by id and by name, each described by
// the other, since every command resolves either.
func idAndName(id, name string) []string {
	if name == "" || name == id {
		return []string{id}
	}
	return []string{cobra.CompletionWithDesc(id, name), cobra.CompletionWithDesc(name, id)}
}

// CompleteAgents completes agent ids and names.
func CompleteAgents(f *Factory) cobra.CompletionFunc {
	return completer(f, func(ctx context.Context, c *client.Client, toComplete string) ([]string, error) {
		page, err := c.ListAgents(ctx, client.ListAgentsParams{OwnerID: f.Owner("", ""), Search: toComplete, Limit: spec.MaxListLimit})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, a := range page.Agents {
			out = append(out, idAndName(a.ID, a.Name)...)
		}
		return out, nil
	})
}

// CompleteSessions completes session ids and titles.
func CompleteSessions(f *Factory) cobra.CompletionFunc {
	return completer(f, func(ctx context.Context, c *client.Client, _ string) ([]string, error) {
		sessions, err := c.ListSessions(ctx, "")
		if err != nil {
			return nil, err
		}
		var out []string
		for _, s := range sessions {
			out = append(out, idAndName(s.ID, s.Title)...)
		}
		return out, nil
	})
}

// CompleteSkills completes skill ids and names.
func CompleteSkills(f *Factory) cobra.CompletionFunc {
	return completer(f, func(ctx context.Context, c *client.Client, _ string) ([]string, error) {
		skills, err := c.ListSkills(ctx, f.Owner("", ""))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, s := range skills {
			out = append(out, idAndName(s.ID, s.Name)...)
		}
		return out, nil
	})
}

// CompleteHarnesses completes harness ids (built-in and registered).
func CompleteHarnesses(f *Factory) cobra.CompletionFunc {
	return completer(f, func(ctx context.Context, c *client.Client, _ string) ([]string, error) {
		choices, err := c.HarnessChoices(ctx)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, h := range choices {
			out = append(out, cobra.CompletionWithDesc(h.ID, h.Kind+": "+h.Description))
		}
		return out, nil
	})
}

// CompleteModels completes model ids from /v1/models.
func CompleteModels(f *Factory) cobra.CompletionFunc {
	return completer(f, func(ctx context.Context, c *client.Client, _ string) ([]string, error) {
		models, err := c.Models(ctx)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, m := range models {
			out = append(out, m.ID)
		}
		return out, nil
	})
}

// CompleteContexts completes the config's context names (no server).
func CompleteContexts(f *Factory) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cfg, err := f.Config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return cfg.ContextNames(), cobra.ShellCompDirectiveNoFileComp
	}
}

// FixedCompletions completes a flag from a fixed list.
func FixedCompletions(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

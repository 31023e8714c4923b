package server

import (
	"context"

	"lapctl/spec"
)

// demoOwner owns the demo data, as the console's default local user.
const demoOwner = "local-user"

// seedDemo fills an empty store with a few skills and agents over all
// four harnesses, so a first `lapctl serve --demo` has something to show.
func seedDemo(ctx context.Context, st *store) error {
	if n, err := st.agentCount(ctx); err != nil || n > 0 {
		return err
	}
	now := nowMs()
	review := &spec.Skill{ID: newID(prefixSkill), Name: "Go code review", OwnerID: demoOwner, CreatedAt: now,
		Description: "Review Go changes for correctness, errors and tests",
		Content: "When reviewing Go code: check every error is handled or returned with context, " +
			"look for data races and leaked goroutines, and ask for a table-driven test for each bug fixed."}
	commits := &spec.Skill{ID: newID(prefixSkill), Name: "Conventional commits", OwnerID: demoOwner, CreatedAt: now,
		Description: "Write commit messages in the Conventional Commits style",
		Content: "Write commit subjects as type(scope): summary, at most 72 characters, in the imperative mood. " +
			"Explain why in the body."}
	for _, sk := range []*spec.Skill{review, commits} {
		if err := st.createSkill(ctx, sk); err != nil {
			return err
		}
	}
	agents := []spec.AgentSpec{
		{Name: "go-reviewer", Harness: "claude-code", Model: "anthropic/claude-sonnet-4-6",
			Description: "Reviews pull requests in Go repositories",
			System:      "You are a careful senior Go reviewer. Be concise and specific.",
			SkillIDs:    []string{review.ID, commits.ID}},
		{Name: "codex-pair", Harness: "codex", Model: "openai/gpt-5-codex",
			Description: "Pair-programs in the terminal with Codex",
			System:      "You are a pragmatic pair programmer. Prefer small, tested steps."},
		{Name: "release-notes", Harness: "opencode", Model: "anthropic/claude-sonnet-4-6",
			Description: "Drafts release notes from merged changes",
			System:      "Summarise changes for users: what changed, why it matters, how to upgrade.",
			SkillIDs:    []string{commits.ID}},
		{Name: "support-triage", Harness: "claude-agent-sdk", Model: "anthropic/claude-opus-4-5",
			Description: "Labels and routes incoming support tickets",
			System:      "Classify each ticket by product area and urgency, and suggest the owning team.",
			EnvVars:     map[string]string{"TICKETS_API_URL": "https://tickets.example.com/api", "TICKETS_API_TOKEN": "demo-token-not-secret"}},
		{Name: "docs-writer", Harness: "opencode", Model: "anthropic/claude-sonnet-4-6",
			Description: "Keeps the README and guides in step with the code",
			System:      "Write plain, short documentation with one runnable example per feature."},
	}
	for _, a := range agents {
		a.OwnerID = demoOwner
		a.Normalize()
		if err := a.Validate(); err != nil {
			return err
		}
		rec := &agentRecord{AgentSpec: a, ID: newID(prefixAgent), Status: spec.StatusActive, CreatedAt: nowMs(), UpdatedAt: nowMs()}
		if err := st.createAgent(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}

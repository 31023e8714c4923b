package forms

import (
	"context"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
)

// The builder offers only what the server keeps: a step whose fields the
// platform drops is skipped, and one line names what is not stored, so
// nothing typed is silently lost (issue 11).

// platformMsg carries the server's capabilities, once the client knows
// its platform.
type platformMsg struct{ caps client.Capabilities }

// stepFields are the agent fields each step edits.
var stepFields = [numSteps][]string{
	stepBasics:       {"name", "owner_id", "description"},
	stepHarness:      {"harness"},
	stepModel:        {"model"},
	stepSystem:       {"system"},
	stepSkills:       {"skill_ids"},
	stepEnv:          {"env_vars"},
	stepFiles:        {"sandbox_files"},
	stepRepo:         {"repo_url", "branch"},
	stepRequirements: {"requirements"},
	stepNetwork:      {"mcp_servers", "allow_out", "deny_out"},
}

func (b *Builder) loadPlatform() tea.Cmd {
	c, ctx := b.opts.Client, b.ctx
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		// An unreachable server leaves the client's current guess; the
		// submit reports the failure itself.
		if p, _ := c.Detect(ctx); p != client.PlatformUnknown {
			return platformMsg{caps: client.CapabilitiesOf(p)}
		}
		return platformMsg{caps: c.Capabilities()}
	}
}

// stores reports whether the platform keeps field on this builder's write
// (create, or edit).
func (b *Builder) stores(field string) bool { return b.caps.Stores(field, b.editing()) }

// shown reports whether step id has a field the platform keeps.
func (b *Builder) shown(id stepID) bool {
	return slices.ContainsFunc(stepFields[id], b.stores)
}

// shownSteps lists the steps shown, in order.
func (b *Builder) shownSteps() []stepID {
	var out []stepID
	for id := range numSteps {
		if b.shown(id) {
			out = append(out, id)
		}
	}
	return out
}

// stepAfter is the next shown step after id in direction dir (+1 or -1),
// and false at either end.
func (b *Builder) stepAfter(id stepID, dir int) (stepID, bool) {
	for n := int(id) + dir; n >= 0 && n < int(numSteps); n += dir {
		if b.shown(stepID(n)) {
			return stepID(n), true
		}
	}
	return id, false
}

// stepNumber is id's 1-based place among the shown steps.
func (b *Builder) stepNumber(id stepID) int {
	return slices.Index(b.shownSteps(), id) + 1
}

// notStored is the one line naming what the builder could edit that this
// platform does not store, or "" when it keeps everything.
func (b *Builder) notStored() string {
	var names []string
	add := func(name string) {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	pair := func(a, c, both, onlyA, onlyC string) {
		switch ka, kc := b.stores(a), b.stores(c); {
		case !ka && !kc:
			add(both)
		case !ka:
			add(onlyA)
		case !kc:
			add(onlyC)
		}
	}
	single := map[string]string{
		"owner_id": "owner", "description": "description", "harness": "harness", "model": "model",
		"system": "system prompt", "skill_ids": "skills", "env_vars": "env vars", "sandbox_files": "files",
		"requirements": "requirements", "mcp_servers": "MCP servers",
	}
	for _, f := range []string{"owner_id", "description", "harness", "model", "system", "skill_ids", "env_vars", "sandbox_files"} {
		if !b.stores(f) {
			add(single[f])
		}
	}
	pair("repo_url", "branch", "repo", "repo URL", "branch")
	for _, f := range []string{"requirements", "mcp_servers"} {
		if !b.stores(f) {
			add(single[f])
		}
	}
	pair("allow_out", "deny_out", "allowed/blocked domains", "allowed domains", "blocked domains")
	if b.editing() && b.caps.OwnerFromKey {
		// The owner is the key's on this platform: no edit to offer.
		names = slices.DeleteFunc(names, func(s string) bool { return s == "owner" })
	}
	if len(names) == 0 {
		return ""
	}
	verb := "does not store"
	if b.editing() {
		verb = "does not change on edit"
	}
	return string(b.caps.Platform) + " " + verb + ": " + strings.Join(names, ", ")
}

// harnessTTY reports whether sessions of harness id have a terminal, in
// the server's word: its capabilities, else its catalog's kind.
func (b *Builder) harnessTTY(id string) bool {
	if tty, known := b.caps.HarnessTTY(id); known {
		return tty
	}
	for _, c := range b.harnesses {
		if c.ID == id {
			return c.Kind == spec.KindTUI
		}
	}
	return false
}

// harnessKind is "api" or "tui" for harness id (see harnessTTY).
func (b *Builder) harnessKind(id string) string {
	if b.harnessTTY(id) {
		return spec.KindTUI
	}
	return spec.KindAPI
}

// stepTitle heads step id's page; the basics name only the fields asked.
func (b *Builder) stepTitle(id stepID) string {
	if id != stepBasics || (b.stores("owner_id") && b.stores("description")) {
		return stepTitles[id]
	}
	switch {
	case b.stores("owner_id"):
		return "Name and owner"
	case b.stores("description"):
		return "Name and description"
	}
	return "Name"
}

// sendSpec is the draft as a create sends it: without an owner where the
// server takes it from the key.
func (b *Builder) sendSpec() *spec.AgentSpec {
	s := b.d.toSpec()
	if !b.editing() && b.caps.OwnerFromKey {
		s.OwnerID = ""
	}
	return s
}

// willDrop names the fields the submit would send that the platform does
// not keep (from a spec file, or an agent made elsewhere), or "".
func (b *Builder) willDrop() string {
	var fields []string
	if b.editing() {
		fields = b.caps.UnstoredPatch(patchOf(b.orig, b.d.toSpec()))
	} else {
		fields = b.caps.Unstored(b.sendSpec())
	}
	// A harness the server's own catalog lists (a registered alias) is
	// kept, whatever the fixed list of the platform says.
	fields = slices.DeleteFunc(fields, func(f string) bool {
		id, ok := strings.CutPrefix(f, "harness=")
		return ok && slices.ContainsFunc(b.harnesses, func(c client.HarnessChoice) bool { return c.ID == id })
	})
	if len(fields) == 0 {
		return ""
	}
	return "Submitting sends " + strings.Join(fields, ", ") + ", which " + string(b.caps.Platform) +
		" does not keep: each is reported as lost after saving."
}

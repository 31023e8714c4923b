package forms

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"lapctl/spec"
)

func newSkillsStep(b *Builder) step {
	fs := &formStep{b: b, id: stepSkills}
	fs.waiting = func() string {
		if !b.caps.Skills {
			return "" // nothing to ask: see static
		}
		if b.skillsBusy || !b.haveSkills {
			return "Asking the server for the skills of " + strings.TrimSpace(b.d.OwnerID) + "…"
		}
		return ""
	}
	fs.static = func() string {
		if !b.caps.Skills {
			msg := fmt.Sprintf("The %s server has no skills list to choose from; it checks the skill ids it is given.", b.caps.Platform)
			if n := len(b.d.SkillIDs); n > 0 {
				msg += fmt.Sprintf("\nThe %d from the spec are kept: %s", n, strings.Join(b.d.SkillIDs, ", "))
			}
			return b.st.Text.Render(wrapText(msg, b.width)) + "\n\n" + b.st.Muted.Render("enter continue • esc back")
		}
		if len(b.skills) > 0 || len(b.d.SkillIDs) > 0 {
			return ""
		}
		msg := fmt.Sprintf("No skills belong to owner %q, so there is nothing to choose.\nCreate one with: lapctl skills create", strings.TrimSpace(b.d.OwnerID))
		if b.skillsErr != nil {
			msg = fmt.Sprintf("Could not list skills: %v", b.skillsErr)
		}
		return b.st.Text.Render(msg) + "\n\n" + b.st.Muted.Render("enter continue • esc back")
	}
	fs.build = func(fs *formStep) *huh.Form {
		opts := skillOptions(b.skills, b.d.SkillIDs)
		desc := "space toggles, / filters. Each chosen skill's text is appended to the prompt."
		if b.skillsErr != nil {
			desc = fmt.Sprintf("Could not list skills (%v); the ones already chosen are kept.", b.skillsErr)
		}
		// huh v2.0.3 fits a multi-select with no height to its options
		// less its title and description, hiding options; the height is
		// given whole: title, wrapped description, one line per option.
		descLines := lipgloss.Height(lipgloss.NewStyle().Width(max(b.width-2, 10)).Render(desc))
		return huh.NewForm(huh.NewGroup(
			huh.NewMultiSelect[string]().Title("Skills").Description(desc).
				Options(opts...).Value(&b.d.SkillIDs).
				Height(1 + descLines + max(len(opts), 1)),
		))
	}
	fs.extra = func() string { return skillPreview(b, b.d.SkillIDs) }
	return fs
}

// skillOptions lists the owner's skills with their descriptions; chosen
// ids the server no longer lists stay, marked, so none vanish unseen.
func skillOptions(skills []spec.Skill, chosen []string) []huh.Option[string] {
	var opts []huh.Option[string]
	for _, s := range skills {
		label := s.Name
		if s.Description != "" {
			label += " - " + s.Description
		}
		opts = append(opts, huh.NewOption(label, s.ID).Selected(slices.Contains(chosen, s.ID)))
	}
	for _, id := range chosen {
		if !slices.ContainsFunc(skills, func(s spec.Skill) bool { return s.ID == id }) {
			opts = append(opts, huh.NewOption(id+" (not found for this owner)", id).Selected(true))
		}
	}
	return opts
}

// skillPreview shows what the chosen skills add to the prompt: one
// <!-- skill:<id> --> block each, in order, with the start of its text.
func skillPreview(b *Builder, ids []string) string {
	if len(ids) == 0 {
		return b.st.Muted.Render("No skills chosen: the prompt is sent as written.")
	}
	lines := []string{b.st.Label.Render("Appended to the system prompt, in this order:")}
	for _, id := range ids {
		first := "(not listed for this owner)"
		for _, s := range b.skills {
			if s.ID == id {
				first, _, _ = strings.Cut(strings.TrimSpace(s.Content), "\n")
			}
		}
		lines = append(lines, truncate(b.st.Key.Render("<!-- skill:"+id+" -->")+" "+b.st.Muted.Render(first), b.width))
	}
	return strings.Join(lines, "\n")
}

// ownerChanged fetches the skills again when the owner was edited, since
// skills are listed per owner.
func (b *Builder) ownerChanged() tea.Cmd {
	owner := strings.TrimSpace(b.d.OwnerID)
	if owner == "" || (owner == b.skillsOwner && b.haveSkills) || b.skillsBusy {
		return nil
	}
	b.haveSkills = false
	return b.loadSkills(owner)
}

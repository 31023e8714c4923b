package forms

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

func newBasicsStep(b *Builder) step {
	return &formStep{b: b, id: stepBasics, build: func(fs *formStep) *huh.Form {
		d := b.d
		return huh.NewForm(huh.NewGroup(
			fs.check(huh.NewInput().Title("Name").Description("What the agent is called in lists and the console.").
				Placeholder("e.g. repo-reviewer").Value(&d.Name).Validate(checkName), &d.Name, checkName),
			fs.check(huh.NewInput().Title("Owner id").Description("Who owns the agent; skills are listed for this owner.").
				Value(&d.OwnerID).Validate(checkOwner), &d.OwnerID, checkOwner),
			huh.NewInput().Title("Description").Description("Optional: one line on what the agent does.").
				Value(&d.Description),
		))
	}, done: func() (stepMove, tea.Cmd) { return forward, b.ownerChanged() }}
}

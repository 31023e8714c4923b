package forms

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// newBasicsStep asks for the name, and the owner and description where
// the platform stores them (managed takes the owner from the key).
func newBasicsStep(b *Builder) step {
	return &formStep{b: b, id: stepBasics, build: func(fs *formStep) *huh.Form {
		d := b.d
		fields := []huh.Field{
			fs.check(huh.NewInput().Title("Name").Description("What the agent is called in lists and the console.").
				Placeholder("e.g. repo-reviewer").Value(&d.Name).Validate(checkName), &d.Name, checkName),
		}
		if b.stores("owner_id") {
			fields = append(fields, fs.check(huh.NewInput().Title("Owner id").Description("Who owns the agent; skills are listed for this owner.").
				Value(&d.OwnerID).Validate(checkOwner), &d.OwnerID, checkOwner))
		}
		if b.stores("description") {
			fields = append(fields, huh.NewInput().Title("Description").Description("Optional: one line on what the agent does.").
				Value(&d.Description))
		}
		return huh.NewForm(huh.NewGroup(fields...))
	}, done: func() (stepMove, tea.Cmd) { return forward, b.ownerChanged() }}
}

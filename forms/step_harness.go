package forms

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"lapctl/client"
)

func newHarnessStep(b *Builder) step {
	return &formStep{
		b: b, id: stepHarness,
		waiting: func() string {
			if b.haveHarness {
				return ""
			}
			return "Asking the server for its harnesses…"
		},
		build: func(fs *formStep) *huh.Form {
			desc := "API harnesses take messages; TUI harnesses run a terminal program you attach to."
			if b.harnessErr != nil {
				desc = fmt.Sprintf("Could not list the server's harnesses (%v); these are the built-in four.", b.harnessErr)
			}
			sel := huh.NewSelect[string]().Title("Harness").Description(desc).
				Options(b.harnessOptions(b.d.Harness)...).Value(&b.d.Harness)
			return huh.NewForm(huh.NewGroup(sized(sel, len(b.harnesses))))
		},
	}
}

// harnessOptions labels each harness with its kind and description; a
// current value the server does not offer stays selectable, marked so.
func (b *Builder) harnessOptions(current string) []huh.Option[string] {
	var opts []huh.Option[string]
	found := false
	for _, c := range b.harnesses {
		opts = append(opts, huh.NewOption(b.harnessLabel(c), c.ID))
		found = found || c.ID == current
	}
	if current != "" && !found {
		opts = append(opts, huh.NewOption(fmt.Sprintf("%s [%s] - not offered by this server", current, strings.ToUpper(b.harnessKind(current))), current))
	}
	return opts
}

// harnessLabel names a harness with its kind: TUI when the server says
// its sessions have a terminal.
func (b *Builder) harnessLabel(c client.HarnessChoice) string {
	kind := strings.ToUpper(b.harnessKind(c.ID))
	name := c.Name
	if name == "" || name == c.ID {
		name = c.ID
	} else {
		name = fmt.Sprintf("%s (%s)", name, c.ID)
	}
	label := fmt.Sprintf("%s [%s]", name, kind)
	if c.Description != "" {
		label += " - " + c.Description
	}
	if !c.Available {
		label += " (unavailable)"
	}
	return label
}

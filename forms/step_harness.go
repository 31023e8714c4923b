package forms

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"lapctl/client"
	"lapctl/spec"
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
				Options(harnessOptions(b.harnesses, b.d.Harness)...).Value(&b.d.Harness)
			return huh.NewForm(huh.NewGroup(sized(sel, len(b.harnesses))))
		},
	}
}

// harnessOptions labels each harness with its kind and description; a
// current value the server does not offer stays selectable, marked so.
func harnessOptions(choices []client.HarnessChoice, current string) []huh.Option[string] {
	var opts []huh.Option[string]
	found := false
	for _, c := range choices {
		opts = append(opts, huh.NewOption(harnessLabel(c), c.ID))
		found = found || c.ID == current
	}
	if current != "" && !found {
		opts = append(opts, huh.NewOption(fmt.Sprintf("%s [%s] - not offered by this server", current, strings.ToUpper(spec.HarnessKind(current))), current))
	}
	return opts
}

func harnessLabel(c client.HarnessChoice) string {
	kind := strings.ToUpper(c.Kind)
	if kind == "" {
		kind = "API"
	}
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

// harnessKind is the kind of harness id as the server described it, or
// as the contract knows it.
func (b *Builder) harnessKind(id string) string {
	for _, c := range b.harnesses {
		if c.ID == id && c.Kind != "" {
			return c.Kind
		}
	}
	return spec.HarnessKind(id)
}

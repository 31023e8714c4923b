package forms

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"
)

func newNetworkStep(b *Builder) step {
	d := b.d
	list := func(title, desc string, v *string) *huh.Text {
		return huh.NewText().Title(title).Description(desc).Lines(2).ExternalEditor(false).Value(v)
	}
	return &formStep{
		b: b, id: stepNetwork,
		build: func(fs *formStep) *huh.Form {
			return huh.NewForm(huh.NewGroup(
				list("MCP servers", "One per line or comma-separated.", &d.MCP),
				list("Allowed outbound domains", "Empty: no domain-level allow rule.", &d.AllowOut),
				list("Blocked outbound domains", "Domains the sandbox may not reach.", &d.DenyOut),
			))
		},
		extra: func() string {
			return b.st.Muted.Render(truncate(fmt.Sprintf("Will send: %s · %s · %s",
				countList("MCP server", parseList(d.MCP)), countList("allowed", parseList(d.AllowOut)), countList("blocked", parseList(d.DenyOut))), b.width))
		},
	}
}

// countList says how many entries a list input yields, naming a few.
func countList(what string, items []string) string {
	switch len(items) {
	case 0:
		return "no " + what
	case 1, 2, 3:
		return fmt.Sprintf("%d %s (%s)", len(items), what, strings.Join(items, ", "))
	}
	return fmt.Sprintf("%d %s", len(items), what)
}

package agents

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/viewport"
	"charm.land/lipgloss/v2"

	"lapctl/secret"
	"lapctl/spec"
	"lapctl/tui/common"
	"lapctl/tui/styles"
)

// DetailMsg carries a freshly fetched agent and the names of the skills
// it uses (ids the server no longer knows keep their id).
type DetailMsg struct {
	ID         string
	Agent      *spec.Agent
	SkillNames map[string]string
	Err        error
}

// detail is the agent detail view: every field, env values masked until
// revealed, files' metadata and skills by name, in a scrolling viewport.
type detail struct {
	agent      *spec.Agent
	skillNames map[string]string
	reveal     bool
	vp         viewport.Model
}

func newDetail() detail {
	vp := viewport.New()
	// The page routes keys to the viewport by our keymap, not viewport's
	// own, so rebinding applies here too.
	vp.KeyMap = viewport.KeyMap{}
	return detail{vp: vp}
}

func (d *detail) setSize(w, h int) {
	d.vp.SetWidth(w)
	d.vp.SetHeight(h)
}

// render rebuilds the viewport's content; called when the agent, the
// reveal switch or the width changes, never per frame.
func (d *detail) render(st *styles.Styles, now time.Time) {
	if d.agent == nil {
		d.vp.SetContent("")
		return
	}
	d.vp.SetContent(detailText(st, d.agent, d.skillNames, d.reveal, now, d.vp.Width()))
}

func detailText(st *styles.Styles, a *spec.Agent, skillNames map[string]string, reveal bool, now time.Time, width int) string {
	var b strings.Builder
	label := func(l string) string { return st.Detail.Label.Render(fmt.Sprintf("  %-13s", l)) }
	field := func(l, v string) {
		if v == "" {
			v = "-"
		}
		b.WriteString(label(l) + st.Detail.Value.Render(common.OneLine(v)) + "\n")
	}
	section := func(title string) {
		b.WriteString("\n" + st.Detail.Section.Render(title) + "\n")
	}
	block := func(text string) {
		wrapped := common.Wrap(strings.TrimRight(text, "\n"), width-4)
		for _, line := range strings.Split(wrapped, "\n") {
			b.WriteString("  " + strings.TrimRight(line, " ") + "\n")
		}
	}

	field("ID", a.ID)
	field("Status", a.Status)
	field("Owner", a.OwnerID)
	field("Harness", common.HarnessLabel(a.Harness, a.SupportsTUI))
	field("Model", a.Model)
	field("Runtime", a.Runtime)
	field("Description", a.Description)
	created := stamp(a.CreatedAt, now)
	if a.UpdatedAt > 0 && a.UpdatedAt != a.CreatedAt {
		created += ", updated " + common.Ago(now, a.UpdatedAt)
	}
	field("Created", created)
	repo := secret.MaskURL(a.RepoURL)
	if repo != "" && a.Branch != "" {
		repo += " @ " + a.Branch
	}
	field("Repository", repo)
	field("Network", fmt.Sprintf("mcp: %s · allow: %s · deny: %s", orDash(a.MCPServers), orDash(a.AllowOut), orDash(a.DenyOut)))
	field("Sessions", fmt.Sprint(a.SessionCount))
	if len(a.Config) > 0 {
		field("Config", compactJSON(a.Config))
	}
	if len(a.Tools) > 0 && string(a.Tools) != "null" {
		field("Tools", string(a.Tools))
	}

	section("System prompt")
	switch {
	case a.System != "":
		block(a.System)
	case a.Prompt != "":
		block(a.Prompt)
	default:
		b.WriteString(st.Muted.Render("  (none)") + "\n")
	}

	if a.Requirements != "" {
		section("Requirements")
		block(a.Requirements)
	}

	if reveal {
		section("Env vars (revealed)")
	} else {
		section("Env vars (masked)")
	}
	if len(a.EnvVars) == 0 {
		b.WriteString(st.Muted.Render("  (none)") + "\n")
	}
	keys := make([]string, 0, len(a.EnvVars))
	for k := range a.EnvVars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := secret.MaskValue(a.EnvVars[k])
		if reveal {
			v = a.EnvVars[k]
		}
		// KEY=value: a long key must not run into its value, and it
		// reads the same without colour.
		b.WriteString("  " + st.Detail.Label.Render(k+"=") + st.Detail.Secret.Render(common.OneLine(v)) + "\n")
	}

	section("Files")
	if len(a.SandboxFiles) == 0 {
		b.WriteString(st.Muted.Render("  (none)") + "\n")
	}
	for _, f := range a.SandboxFiles {
		ct := f.ContentType
		if ct == "" {
			ct = spec.DefaultContentType
		}
		fmt.Fprintf(&b, "  %s  %s  %s  %s\n", st.Detail.Value.Render(f.Name), f.SandboxPath, st.Muted.Render(ct), common.Size(f.Size))
	}

	section("Skills")
	if len(a.SkillIDs) == 0 {
		b.WriteString(st.Muted.Render("  (none)") + "\n")
	}
	for _, id := range a.SkillIDs {
		name := skillNames[id]
		if name == "" {
			name = "(unknown skill)"
		}
		b.WriteString("  " + st.Detail.Value.Render(name) + " " + st.Muted.Render(id) + "\n")
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(strings.TrimRight(b.String(), "\n"))
}

func orDash(list []string) string {
	if len(list) == 0 {
		return "-"
	}
	return strings.Join(list, ", ")
}

// stamp shows a time as UTC and relative, or "-" when unset.
func stamp(ms int64, now time.Time) string {
	if ms <= 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04 UTC") + " (" + common.Ago(now, ms) + ")"
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

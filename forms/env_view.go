package forms

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"lapctl/human"
	"lapctl/secret"
	"lapctl/spec"
)

// The env step's views: the row list, the row editor and the import prompt.

// totals is the running count and encoded size against the limits.
func (e *envStep) totals(rows []envRow) string {
	m := envMap(rows)
	n, size := len(m), spec.EnvJSONSize(m)
	s := fmt.Sprintf("%d/%d keys · %s/%s bytes JSON", n, spec.MaxEnvVars, human.Count(size), human.Count(spec.MaxEnvBytes))
	if n > spec.MaxEnvVars || size > spec.MaxEnvBytes {
		return e.b.st.Error.Render(s)
	}
	return e.b.st.Muted.Render(s)
}

func (e *envStep) view() string {
	refusal := ""
	if e.refusal != "" {
		refusal = e.b.st.Error.Render(wrapText("✗ "+e.refusal, e.b.width))
	}
	var parts []string
	if a := e.b.stepAlert(stepEnv); a != "" {
		parts = append(parts, a)
	}
	switch {
	case e.reading != "":
		parts = append(parts, e.b.spin.View()+" Reading "+e.reading+"…")
	case e.mode == envEdit:
		parts = append(parts, e.editView())
	case e.mode == envImport:
		parts = append(parts,
			e.b.st.Label.Render("Import a .env file"),
			e.b.st.Muted.Render(wrapText("KEY=VALUE lines; # comments and export are understood. Keys already set take the file's value.", e.b.width)),
			e.importIn.View(), "", e.b.keyHelp("enter", "import", "esc", "cancel"))
	default:
		used := lipgloss.Height(strings.Join(parts, "\n")) + lipgloss.Height(refusal)
		parts = append(parts, e.listView(e.b.bodyHeight()-used))
	}
	if refusal != "" {
		parts = append(parts, refusal)
	}
	return strings.Join(parts, "\n")
}

func (e *envStep) value(v string) string {
	if e.reveal {
		return v
	}
	return secret.MaskValue(v)
}

func (e *envStep) listView(height int) string {
	rows := e.rows()
	head := e.b.st.Label.Render("Environment variables") + "  " + e.totals(rows)
	lines := []string{head}
	if len(rows) == 0 {
		lines = append(lines, e.b.st.Muted.Render(wrapText("None yet. Values are secrets: they are stored encrypted and masked in every view.", e.b.width)))
	}
	keyW := 8
	for _, r := range rows {
		keyW = max(keyW, min(lipgloss.Width(r.Key), 28))
	}
	var body []string
	cursorLine := 0
	server := e.b.stepErr[stepEnv]
	for i, r := range rows {
		prefix := "  "
		if i == e.cursor {
			prefix = e.b.st.Key.Render("> ")
			cursorLine = len(body)
		}
		key := truncate(r.Key, keyW)
		line := prefix + e.b.st.Text.Render(key+strings.Repeat(" ", keyW-lipgloss.Width(key))) + "  " + e.b.st.Muted.Render(e.value(r.Value))
		body = append(body, truncate(line, e.b.width))
		if p := rowProblem(rows, i); p != "" {
			body = append(body, e.b.st.Error.Render(indent(wrapText("✗ "+p, e.b.width-4), "    ")))
		} else if server.Field == "env_vars."+r.Key {
			body = append(body, e.b.st.Error.Render(indent(wrapText("✗ "+server.Message, e.b.width-4), "    ")))
		}
	}
	var foot []string
	for _, p := range totalProblems(rows) {
		foot = append(foot, e.b.st.Error.Render(wrapText("✗ "+p, e.b.width)))
	}
	reveal := "reveal"
	if e.reveal {
		reveal = "mask"
	}
	foot = append(foot, "", e.b.keyHelp("a", "add", "enter", "edit", "d", "delete", "r", reveal, "i", "import .env", "tab", "continue", "esc", "back"))
	room := max(height-len(lines)-lipgloss.Height(strings.Join(foot, "\n")), 1)
	e.offset = clampInt(e.offset, max(cursorLine-room+2, 0), cursorLine)
	if e.offset+room > len(body) {
		e.offset = max(len(body)-room, 0)
	}
	lines = append(lines, body[e.offset:min(e.offset+room, len(body))]...)
	return strings.Join(append(lines, foot...), "\n")
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func (e *envStep) editView() string {
	title := "Add an environment variable"
	if e.editIdx >= 0 {
		title = "Edit " + e.rows()[e.editIdx].Key
	}
	rows, i := e.candidate()
	keyMsg := ""
	if p := rowProblem(rows, i); p != "" && (rows[i].Key != "" || e.tried) {
		keyMsg = e.b.st.Error.Render(indent(wrapText("✗ "+p, e.b.width-2), "  "))
	}
	valueTitle := "Value (hidden; ctrl+r shows it)"
	if e.reveal {
		valueTitle = "Value (shown; ctrl+r hides it)"
	}
	parts := []string{e.b.st.Label.Render(title), "", e.b.st.Text.Render("Key"), e.keyIn.View()}
	if keyMsg != "" {
		parts = append(parts, keyMsg)
	}
	parts = append(parts, "", e.b.st.Text.Render(valueTitle), e.valIn.View(), "", "With this one: "+e.totals(rows))
	for _, p := range totalProblems(rows) {
		parts = append(parts, e.b.st.Error.Render(wrapText("✗ "+p, e.b.width)))
	}
	parts = append(parts, "", e.b.keyHelp("enter", "save", "tab", "key/value", "ctrl+r", "show/hide value", "esc", "cancel"))
	return strings.Join(parts, "\n")
}

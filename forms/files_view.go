package forms

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"lapctl/human"
	"lapctl/spec"
)

// The files step's views: the file list with totals and progress, and
// the sandbox path editor.

func (f *filesStep) totals() string {
	files := f.files()
	used := base64Used(files)
	s := fmt.Sprintf("%d/%d files · %s/%s base64", len(files), spec.MaxSandboxFiles, human.Bytes(int64(used)), human.Bytes(spec.MaxFilesBase64))
	if len(files) > spec.MaxSandboxFiles || used > spec.MaxFilesBase64 {
		return f.b.st.Error.Render(s)
	}
	return f.b.st.Muted.Render(s)
}

func (f *filesStep) view() string {
	refusal := ""
	if f.refusal != "" {
		refusal = f.b.st.Error.Render(wrapText("✗ "+f.refusal, f.b.width))
	}
	var parts []string
	if a := f.b.stepAlert(stepFiles); a != "" {
		parts = append(parts, a)
	}
	used := lipgloss.Height(strings.Join(parts, "\n")) + lipgloss.Height(refusal)
	switch f.mode {
	case filesPick:
		parts = append(parts, f.pick.view(f.b.bodyHeight()-used))
	case filesPath:
		parts = append(parts, f.pathView())
	default:
		parts = append(parts, f.listView(f.b.bodyHeight()-used))
	}
	if refusal != "" {
		parts = append(parts, refusal)
	}
	return strings.Join(parts, "\n")
}

func (f *filesStep) listView(height int) string {
	f.check()
	files := f.files()
	lines := []string{f.b.st.Label.Render("Sandbox files") + "  " + f.totals()}
	if len(files) == 0 {
		lines = append(lines, f.b.st.Muted.Render(wrapText("None yet. Files are written into the sandbox when a session starts.", f.b.width)))
	}
	nameW, pathW := 8, 10
	for _, e := range files {
		nameW = max(nameW, min(lipgloss.Width(e.Name), 20))
		pathW = max(pathW, min(lipgloss.Width(e.SandboxPath), 28))
	}
	server := f.b.stepErr[stepFiles]
	var body []string
	cursorLine := 0
	for i, e := range files {
		prefix := "  "
		if i == f.cursor {
			prefix = f.b.st.Key.Render("> ")
			cursorLine = len(body)
		}
		note := e.ContentType
		if e.Kept {
			note = "stored on the server"
		}
		line := prefix + f.b.st.Text.Render(pad(truncate(e.Name, nameW), nameW)) + "  " +
			f.b.st.Text.Render(pad(truncate(e.SandboxPath, pathW), pathW)) + "  " +
			f.b.st.Muted.Render(pad(human.Bytes(e.Size), 9)+" "+note)
		body = append(body, truncate(line, f.b.width))
		msgs := f.rowErrs[i]
		if j, ok := fileIndex(server.Field); ok && j == i {
			msgs = append(msgs, server.Message)
		}
		for _, m := range msgs {
			body = append(body, f.b.st.Error.Render(indent(wrapText("✗ "+m, f.b.width-4), "    ")))
		}
	}
	var foot []string
	for _, m := range f.listErrs {
		foot = append(foot, f.b.st.Error.Render(wrapText("✗ "+m, f.b.width)))
	}
	if f.load != nil {
		pct := 1.0
		if f.load.size > 0 {
			pct = float64(f.load.read) / float64(f.load.size)
		}
		foot = append(foot, f.b.spin.View()+" Reading and encoding "+truncate(f.load.path, f.b.width-24),
			f.bar.ViewAs(pct)+f.b.st.Muted.Render(fmt.Sprintf("  %s of %s", human.Bytes(f.load.read), human.Bytes(f.load.size))))
	}
	esc := "back"
	if f.load != nil {
		esc = "stop reading"
	}
	foot = append(foot, "", f.b.keyHelp("a", "add", "enter", "sandbox path", "d", "delete", "tab", "continue", "esc", esc))
	room := max(height-len(lines)-lipgloss.Height(strings.Join(foot, "\n")), 1)
	f.offset = clampInt(f.offset, max(cursorLine-room+2, 0), cursorLine)
	if f.offset+room > len(body) {
		f.offset = max(len(body)-room, 0)
	}
	lines = append(lines, body[f.offset:min(f.offset+room, len(body))]...)
	return strings.Join(append(lines, foot...), "\n")
}

func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
}

func (f *filesStep) pathView() string {
	e := f.files()[f.pathIdx]
	parts := []string{
		f.b.st.Label.Render(fmt.Sprintf("Sandbox path for %s (%s)", e.Name, human.Bytes(e.Size))),
		f.b.st.Muted.Render(wrapText("Where the file is written in the sandbox: absolute (/…) or under the home directory (~/…).", f.b.width)),
		f.pathIn.View(),
	}
	if err := checkSandboxPath(f.pathIn.Value()); err != nil {
		parts = append(parts, f.b.st.Error.Render(indent(wrapText("✗ "+err.Error(), f.b.width-2), "  ")))
	}
	return strings.Join(append(parts, "", f.b.keyHelp("enter", "save", "esc", "cancel")), "\n")
}

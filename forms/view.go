package forms

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The builder's frame: title, breadcrumb, the current page and the
// status line, sized to the terminal.

// maxStatusLines caps the status line when a long message wraps.
const maxStatusLines = 3

// bodyHeight is the height left to a step inside the builder's chrome
// and the status line.
func (b *Builder) bodyHeight() int {
	return max(b.height-chrome+1-max(lipgloss.Height(b.status()), 1), 6)
}

// status is the bottom line: an error, or else a notice, wrapped.
func (b *Builder) status() string {
	msg, style := b.notice, b.st.Warning
	if b.alert != "" {
		msg, style = "✗ "+b.alert, b.st.Error
	}
	if msg == "" {
		return ""
	}
	lines := strings.Split(wrapText(msg, b.width), "\n")
	if len(lines) > maxStatusLines {
		lines = lines[:maxStatusLines]
		lines[maxStatusLines-1] = truncate(lines[maxStatusLines-1]+"…", b.width)
	}
	return style.Render(strings.Join(lines, "\n"))
}

// View implements tea.Model.
func (b *Builder) View() string {
	if b.mode == modeFinished {
		return ""
	}
	var body string
	switch b.mode {
	case modeStep:
		body = b.steps[b.cur].view()
		if line := b.notStored(); line != "" && b.stepNumber(b.cur) == 1 {
			body = b.st.Warning.Render(wrapText(line, b.width)) + "\n" + body
		}
	case modeReview:
		body = b.review.view()
	case modeSubmitting, modeStarting:
		body = b.spin.View() + " " + b.busy
	case modeDone:
		body = b.done.view()
	}
	body = lipgloss.NewStyle().MaxHeight(b.bodyHeight()).MaxWidth(b.width).Render(body)
	status := b.status()
	pad := b.bodyHeight() - lipgloss.Height(body)
	return strings.Join([]string{b.header(), b.breadcrumb(), "", body + strings.Repeat("\n", max(pad, 0)), status}, "\n")
}

func (b *Builder) header() string {
	title := "New agent"
	if b.editing() {
		title = fmt.Sprintf("Edit agent %s", b.opts.Edit.ID)
	}
	where := "Review"
	switch b.mode {
	case modeStep:
		where = fmt.Sprintf("Step %d of %d: %s", b.stepNumber(b.cur), len(b.shownSteps()), b.stepTitle(b.cur))
	case modeSubmitting:
		where = "Submitting"
	case modeDone, modeStarting:
		where = "Created"
		switch {
		case b.done.unchanged:
			where = "Unchanged"
		case b.editing():
			where = "Saved"
		}
	}
	left := b.st.Title.Render(title)
	right := b.st.Muted.Render(where)
	gap := b.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return truncate(left+" · "+right, b.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (b *Builder) breadcrumb() string {
	var parts []string
	for i, name := range append(stepNames[:], "Review") {
		id := stepID(i)
		if id < numSteps && !b.shown(id) {
			continue
		}
		current := (b.mode == modeStep && id == b.cur) || (b.mode != modeStep && id == numSteps)
		switch {
		case current:
			parts = append(parts, b.st.Step.Render("["+name+"]"))
		case id <= b.visited:
			parts = append(parts, b.st.StepDone.Render(name))
		default:
			parts = append(parts, b.st.StepTodo.Render(name))
		}
	}
	return truncate(strings.Join(parts, " "), b.width)
}

// truncate cuts s to width cells, ANSI-aware.
func truncate(s string, width int) string {
	return ansi.Truncate(s, width, "…")
}

// keyHelp is a list step's key line from key, action pairs: "a add • d
// delete", wrapped to the builder's width between pairs, so a key is never
// parted from what it does.
func (b *Builder) keyHelp(pairs ...string) string {
	sep := b.st.Muted.Render(" • ")
	var lines []string
	line := ""
	for i := 0; i+1 < len(pairs); i += 2 {
		item := b.st.Key.Render(pairs[i]) + " " + b.st.Muted.Render(pairs[i+1])
		switch {
		case line == "":
			line = item
		case lipgloss.Width(line+sep+item) <= b.width:
			line += sep + item
		default:
			lines = append(lines, line)
			line = item
		}
	}
	return wrapText(strings.Join(append(lines, line), "\n"), b.width)
}

package forms

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"lapctl/human"
)

// textStep is a multi-line text (system prompt, requirements) that can
// also be loaded from a file chosen with huh's file picker. A chosen file
// is read in a tea.Cmd; its text replaces the field's and the step is
// shown again so the operator sees (and can edit) what was loaded.
type textStep struct {
	formStep
	value    *string
	loadPath string
	loading  string
}

// textMaxLines is how many lines the text editor keeps (bubbles'
// textarea cuts a value past it), so longer files are refused rather than
// silently shortened.
const textMaxLines = 10000

func newTextStep(b *Builder, id stepID, value *string, title, desc, placeholder, loadTitle string) *textStep {
	ts := &textStep{value: value}
	ts.formStep = formStep{
		b: b, id: id,
		waiting: func() string {
			if ts.loading == "" {
				return ""
			}
			return "Reading " + ts.loading + "…"
		},
		build: func(fs *formStep) *huh.Form {
			ts.loadPath = ""
			text := huh.NewText().Title(title).Description(desc).Placeholder(placeholder).
				Lines(8).ExternalEditor(false).Value(value)
			picker := huh.NewFilePicker().Title(loadTitle).
				Description("enter browses files, tab skips. The file's text replaces the text above.").
				FileAllowed(true).DirAllowed(false).ShowSize(true).ShowPermissions(false).Value(&ts.loadPath).
				CurrentDirectory(absStartDir(b.opts.StartDir)) // absolute, so h goes up from it

			return huh.NewForm(huh.NewGroup(text, picker))
		},
		extra: func() string {
			n := len(*value)
			if n == 0 {
				return ""
			}
			return b.st.Muted.Render(fmt.Sprintf("%s, %s", human.Bytes(int64(n)), plural(strings.Count(strings.TrimRight(*value, "\n"), "\n")+1, "line")))
		},
	}
	ts.done = func() (stepMove, tea.Cmd) {
		if ts.loadPath == "" {
			return forward, nil
		}
		ts.loading = ts.loadPath
		return stay, tea.Batch(loadText(id, ts.loadPath), b.startSpin())
	}
	return ts
}

// update lets tab leave the file picker without choosing a file: as the
// form's last field huh gives it no key to move on.
//
// esc while the picker browses closes it and stays on the step: huh's
// own close moves to the next field, which for the last one ends the
// step. The form is rebuilt from the draft instead, the picker focused.
func (ts *textStep) update(msg tea.Msg) (stepMove, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && ts.form != nil {
		if p, ok := ts.form.GetFocusedField().(*huh.FilePicker); ok {
			switch {
			case k.String() == "tab" && !p.Zoom():
				ts.loadPath = ""
				return forward, nil
			case k.String() == "esc" && p.Zoom():
				cmd := ts.enter()
				m, next := ts.form.Update(tea.KeyPressMsg{Code: tea.KeyTab})
				ts.form = m.(*huh.Form)
				ts.refit()
				return stay, tea.Batch(cmd, next)
			}
		}
	}
	return ts.formStep.update(msg)
}

// loaded takes a file read for this step.
func (ts *textStep) loaded(msg textLoadedMsg) tea.Cmd {
	ts.loading = ""
	switch {
	case msg.err != nil:
		ts.b.alert = "Could not load " + msg.path + ": " + msg.err.Error()
	case strings.Count(msg.text, "\n") >= textMaxLines:
		ts.b.alert = fmt.Sprintf("%s has more than %d lines, more than the editor keeps; shorten it first", msg.path, textMaxLines)
	default:
		*ts.value = msg.text
		ts.b.notice = fmt.Sprintf("Loaded %s from %s.", human.Bytes(int64(len(msg.text))), msg.path)
	}
	cmd := ts.enter()
	ts.refit()
	return cmd
}

func newSystemStep(b *Builder) step {
	return newTextStep(b, stepSystem, &b.d.System, "System prompt",
		"What the agent is told before every task. alt+enter or ctrl+j starts a new line; enter goes on.",
		"e.g. You are a careful code reviewer…", "Or load the prompt from a file")
}

func newRequirementsStep(b *Builder) step {
	return newTextStep(b, stepRequirements, &b.d.Require, "Python requirements",
		"pip requirements.txt lines, installed when a session starts. Optional.",
		"e.g. pytest==8.3.3", "Or load a requirements.txt")
}

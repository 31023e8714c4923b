package forms

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"lapctl/human"
	"lapctl/spec"
)

// review shows the whole agent as YAML (secrets masked, file contents
// left out) with its totals, and offers to submit, go back to any step,
// save the spec to a file, or discard it.
type review struct {
	b      *Builder
	vp     viewport.Model
	sub    reviewSub
	form   *huh.Form
	action string
	target stepID
	path   string
	save   *saveJob // the spec being written (reviewSaving)
	saves  int
	bar    progress.Model
}

type reviewSub int

const (
	reviewActions reviewSub = iota
	reviewPickStep
	reviewSave
	reviewSaving
)

func newReview(b *Builder) *review {
	return &review{b: b, vp: viewport.New(viewport.WithWidth(b.width), viewport.WithHeight(10)), bar: b.newBar()}
}

func (r *review) enter() tea.Cmd {
	r.sub = reviewActions
	s := r.b.d.toSpec()
	doc, err := agentYAML(s, false)
	if err != nil {
		doc = []byte("cannot show the agent: " + err.Error())
	}
	r.vp.SetContent(strings.TrimRight(string(doc), "\n"))
	r.vp.GotoTop()
	return r.build()
}

func (r *review) build() tea.Cmd {
	b := r.b
	var field huh.Field
	switch r.sub {
	case reviewActions:
		submit := "Submit: create the agent"
		if b.editing() {
			submit = "Submit: save the changes"
		}
		r.action = "submit"
		field = huh.NewSelect[string]().Title("What now? (pgup/pgdown scroll the agent above; esc goes back a step)").Options(
			huh.NewOption(submit, "submit"),
			huh.NewOption("Go back to a step…", "back"),
			huh.NewOption("Save the spec to a file…", "save"),
			huh.NewOption("Discard and leave", "cancel"),
		).Value(&r.action)
	case reviewPickStep:
		shown := b.shownSteps()
		opts := make([]huh.Option[stepID], 0, len(shown))
		for n, i := range shown {
			opts = append(opts, huh.NewOption(fmt.Sprintf("%d. %s: %s", n+1, stepNames[i], b.stepTitle(i)), i))
		}
		field = huh.NewSelect[stepID]().Title("Go back to which step? (esc stays here)").
			Options(opts...).Height(len(shown) + 1).Value(&r.target)
	case reviewSave:
		if r.path == "" {
			r.path = defaultSavePath(b.opts.StartDir, b.d.Name)
		}
		field = huh.NewInput().Title("Save the spec to").
			Description("YAML that lapctl agents create -f loads. It holds the real env var values and file contents, so it is written with mode 0600: keep it private. esc stays here.").
			Value(&r.path).Validate(func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New("type a file path")
			}
			return nil
		})
	}
	r.form = huh.NewForm(huh.NewGroup(field)).
		WithTheme(b.theme).WithKeyMap(b.menu).WithShowHelp(true).WithWidth(b.width)
	r.refit()
	return r.form.Init()
}

func (r *review) refit() {
	r.bar.SetWidth(min(r.b.width-2, 60))
	if r.form == nil {
		return
	}
	r.form.WithWidth(r.b.width)
	m, _ := r.form.Update(tea.WindowSizeMsg{Width: r.b.width, Height: r.b.bodyHeight()})
	r.form = m.(*huh.Form)
	r.vp.SetWidth(r.b.width)
	r.vp.SetHeight(max(r.b.bodyHeight()-lipgloss.Height(r.form.View())-lipgloss.Height(r.summary())-1, 3))
}

func (r *review) update(msg tea.Msg) tea.Cmd {
	if r.sub == reviewSaving {
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "esc" {
			return r.stopSave()
		}
		return nil // the form is done with; keys wait for the save
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "pgup", "pgdown":
			var cmd tea.Cmd
			r.vp, cmd = r.vp.Update(msg)
			return cmd
		case "esc":
			if r.sub != reviewActions {
				r.sub = reviewActions
				return r.build()
			}
			return r.b.backFromReview()
		}
	}
	if _, ok := msg.(tea.MouseMsg); ok {
		var cmd tea.Cmd
		r.vp, cmd = r.vp.Update(msg)
		return cmd
	}
	m, cmd := r.form.Update(msg)
	r.form = m.(*huh.Form)
	if r.form.State != huh.StateCompleted {
		return cmd
	}
	b := r.b
	switch r.sub {
	case reviewPickStep:
		b.returnToReview = true
		return b.goStep(r.target)
	case reviewSave:
		return r.startSave()
	}
	switch r.action {
	case "submit":
		return b.submit()
	case "back":
		r.sub = reviewPickStep
		return r.build()
	case "save":
		r.sub = reviewSave
		return r.build()
	case "cancel":
		return b.cancelCmd()
	}
	return nil
}

// startSave writes the spec in the background; the review shows its
// progress, and esc stops it.
func (r *review) startSave() tea.Cmd {
	b := r.b
	r.saves++
	r.sub = reviewSaving
	b.busy = "Saving " + r.path + "…"
	var cmd tea.Cmd
	r.save, cmd = startSave(b.ctx, r.saves, b.d.toSpec(), expandHome(strings.TrimSpace(r.path)))
	return tea.Batch(cmd, b.startSpin())
}

// progress takes a save's report and waits for the next.
func (r *review) progress(msg saveProgressMsg) tea.Cmd {
	if r.save == nil || msg.id != r.save.id {
		return nil
	}
	r.save.done, r.save.total = msg.done, msg.total
	return r.save.wait()
}

// stopSave stops the save in progress; the file it was to replace is
// left as it was, and the path typed is kept.
func (r *review) stopSave() tea.Cmd {
	b := r.b
	r.save.cancel()
	b.busy, b.alert = "", ""
	b.notice = "Stopped saving: " + r.save.path + " was not written."
	r.save = nil
	r.sub = reviewSave
	return r.build()
}

// saved takes the result of a save. A failure keeps the path typed, to
// be fixed and tried again.
func (r *review) saved(msg savedMsg) tea.Cmd {
	b := r.b
	if r.save == nil || msg.id != r.save.id {
		return nil // a save since stopped
	}
	r.save.cancel()
	r.save = nil
	b.busy = ""
	if msg.err != nil {
		b.alert = "Could not save the spec: " + msg.err.Error()
		r.sub = reviewSave
		return r.build()
	}
	b.alert = ""
	b.result.SavedPath = msg.path
	b.notice = fmt.Sprintf("Saved to %s (mode 0600: it holds the real secrets).", msg.path)
	r.sub = reviewActions
	return r.build()
}

// summary is the totals line, and in edit mode what the PATCH will change.
func (r *review) summary() string {
	b := r.b
	s := b.d.toSpec()
	env := envMap(b.d.Env)
	// Totals only for what the platform keeps.
	var parts []string
	if b.stores("env_vars") {
		parts = append(parts, fmt.Sprintf("env vars %d/%d, %s/%s bytes", len(env), spec.MaxEnvVars,
			human.Count(spec.EnvJSONSize(env)), human.Count(spec.MaxEnvBytes)))
	}
	if b.stores("sandbox_files") {
		parts = append(parts, fmt.Sprintf("files %d/%d, %s/%s base64", len(b.d.Files), spec.MaxSandboxFiles,
			human.Bytes(int64(base64Used(b.d.Files))), human.Bytes(spec.MaxFilesBase64)))
	}
	parts = append(parts, fmt.Sprintf("skills %d", len(s.SkillIDs)))
	out := b.st.Muted.Render(truncate(strings.Join(parts, " · "), b.width))
	if ns := b.notStored(); ns != "" {
		out += "\n" + b.st.Warning.Render(wrapText(ns, b.width))
	}
	if drop := b.willDrop(); drop != "" {
		out += "\n" + b.st.Warning.Render(wrapText(drop, b.width))
	}
	if b.editing() {
		changed := changedFields(patchOf(b.orig, s))
		what := "No changes yet: submitting sends nothing."
		if len(changed) > 0 {
			what = "Will change: " + strings.Join(changed, ", ")
		}
		out += "\n" + b.st.Label.Render(truncate(what, b.width))
	}
	return out
}

func (r *review) view() string {
	switch r.sub {
	case reviewSaving:
		return r.savingView()
	case reviewActions:
	default:
		return r.form.View()
	}
	r.refit()
	return strings.Join([]string{r.summary(), r.vp.View(), r.form.View()}, "\n")
}

// savingView is the save's progress: the screen stays drawn however long
// the disk takes.
func (r *review) savingView() string {
	b, j := r.b, r.save
	pct := 0.0
	if j.total > 0 {
		pct = float64(j.done) / float64(j.total)
	}
	return strings.Join([]string{
		b.spin.View() + " " + b.st.Text.Render(truncate("Saving the spec to "+j.path, b.width-2)),
		r.bar.ViewAs(pct) + b.st.Muted.Render(fmt.Sprintf("  %s of %s", human.Bytes(j.done), human.Bytes(j.total))),
		"", b.keyHelp("esc", "stop saving"),
	}, "\n")
}

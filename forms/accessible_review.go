package forms

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"lapctl/human"
	"lapctl/spec"
)

// review prints the agent and loops on submit, go back, save, discard.
func (a *accessible) review() error {
	b := a.b
	for {
		if err := a.check(); err != nil {
			return err
		}
		doc, err := agentYAML(b.d.toSpec(), false)
		if err != nil {
			return err
		}
		a.say("\nReview (env var values masked, file contents left out):\n%s", strings.TrimRight(string(doc), "\n"))
		a.say("%s", plainSummary(b))
		if b.alert != "" {
			a.say("%s", b.alert)
			b.alert = ""
		}
		submit := "Submit: create the agent"
		if b.editing() {
			submit = "Submit: save the changes"
		}
		action := "submit"
		if err := a.field(huh.NewSelect[string]().Title("What now?").Options(
			huh.NewOption(submit, "submit"),
			huh.NewOption("Go back to a step", "back"),
			huh.NewOption("Save the spec to a file", "save"),
			huh.NewOption("Discard and leave", "cancel"),
		).Value(&action)); err != nil {
			return err
		}
		switch action {
		case "cancel":
			return ErrCancelled
		case "back":
			var target stepID
			opts := make([]huh.Option[stepID], 0, numSteps)
			for _, i := range a.b.shownSteps() {
				opts = append(opts, huh.NewOption(stepNames[i]+": "+stepTitles[i], i))
			}
			if err := a.field(huh.NewSelect[stepID]().Title("Go back to which step?").Options(opts...).Value(&target)); err != nil {
				return err
			}
			if err := a.step(target); err != nil {
				return err
			}
		case "save":
			if err := a.save(); err != nil {
				return err
			}
		case "submit":
			done, err := a.submit()
			if err != nil || done {
				return err
			}
		}
	}
}

func plainSummary(b *Builder) string {
	env := envMap(b.d.Env)
	return fmt.Sprintf("Totals: %d of %d env vars, %s of %s bytes; %d of %d files, %s of %s base64.",
		len(env), spec.MaxEnvVars, human.Count(spec.EnvJSONSize(env)), human.Count(spec.MaxEnvBytes),
		len(b.d.Files), spec.MaxSandboxFiles, human.Bytes(int64(base64Used(b.d.Files))), human.Bytes(spec.MaxFilesBase64))
}

func (a *accessible) save() error {
	b := a.b
	path := defaultSavePath(b.opts.StartDir, b.d.Name)
	a.say("The file holds the real env var values and file contents; it is written with mode 0600.")
	if err := a.ask("Save the spec to", &path, nil, false); err != nil {
		return err
	}
	path = expandHome(strings.TrimSpace(path))
	replaced := fileExists(path)
	msg := saveSpec(b.d.toSpec(), path)().(savedMsg)
	if msg.err != nil {
		a.say("Could not save the spec: %v", msg.err)
		return nil
	}
	b.result.SavedPath = path
	if replaced {
		a.say("Replaced %s (mode 0600).", path)
	} else {
		a.say("Saved to %s (mode 0600). Create the agent later with: lapctl agents create -f %s", path, path)
	}
	return nil
}

// submit sends the agent. It reports done once the agent is saved and
// the operator chose what next; a refused submit re-asks the faulty step
// (or says how to log in) and returns to the review.
func (a *accessible) submit() (bool, error) {
	b := a.b
	a.say("%s", "Submitting…")
	b.update(b.submitCmd()())
	if b.mode != modeDone {
		if b.mode == modeStep {
			a.say("The agent was not saved.")
			if err := a.step(b.cur); err != nil {
				return false, err
			}
			b.returnToReview = false
		}
		return false, nil
	}
	return true, a.afterSave()
}

func (a *accessible) afterSave() error {
	b := a.b
	ag := b.result.Agent
	if b.notice != "" {
		a.say("%s", b.notice)
	}
	verb := "Created"
	if b.editing() {
		verb = "Saved"
	}
	a.say("%s agent %s: status %s, harness %s (%s).", verb, ag.ID, ag.Status, ag.Harness, strings.ToUpper(b.harnessKind(ag.Harness)))
	for {
		resume := ""
		if ag.Status == spec.StatusPaused {
			resume = " (resumes the paused agent first)"
		}
		opts := []huh.Option[string]{huh.NewOption("Done", "done"), huh.NewOption("Start a session"+resume, "session")}
		if b.done.tui() {
			opts = append(opts, huh.NewOption("Start a session and attach to it"+resume, "attach"))
		}
		choice := "done"
		if err := a.field(huh.NewSelect[string]().Title("What next?").Options(opts...).Value(&choice)); err != nil {
			return err
		}
		next := map[string]Next{"done": NextNone, "session": NextSession, "attach": NextAttach}[choice]
		if next == NextNone {
			b.result.Next = NextNone
			return nil
		}
		msg := b.sessionCmd(next)().(sessionMsg)
		if msg.resumed {
			a.say("Resumed the agent: it is %s now.", msg.status)
		}
		b.update(msg)
		if msg.err == nil {
			a.say("Started session %s.", msg.session.ID)
			return nil
		}
		a.say("%s", b.alert)
		b.alert = ""
	}
}

package forms

import (
	"strings"

	"charm.land/huh/v2"

	"lapctl/human"
)

// step asks the questions of step id.
func (a *accessible) step(id stepID) error {
	b, d := a.b, a.b.d
	a.say("\nStep %d of %d: %s", a.b.stepNumber(id), len(a.b.shownSteps()), a.b.stepTitle(id))
	if fe, ok := b.stepErr[id]; ok {
		a.say("Server: %s: %s", fe.Field, fe.Message)
		delete(b.stepErr, id)
	}
	switch id {
	case stepBasics:
		if err := a.ask("Name", &d.Name, checkName, false); err != nil {
			return err
		}
		if b.stores("owner_id") {
			if err := a.ask("Owner id", &d.OwnerID, checkOwner, false); err != nil {
				return err
			}
		}
		if b.stores("description") {
			if err := a.ask("Description", &d.Description, nil, true); err != nil {
				return err
			}
		}
		if cmd := b.ownerChanged(); cmd != nil {
			b.update(cmd())
		}
	case stepHarness:
		if b.harnessErr != nil {
			a.say("Could not list the server's harnesses (%v); these are the built-in four.", b.harnessErr)
		}
		return a.field(huh.NewSelect[string]().Title("Harness (API harnesses take messages; TUI harnesses are attached to):").
			Options(b.harnessOptions(d.Harness)...).Value(&d.Harness))
	case stepModel:
		return a.model()
	case stepSystem:
		return a.text("System prompt (one line; @FILE loads a file)", stepSystem, &d.System)
	case stepSkills:
		return a.skills()
	case stepEnv:
		return a.env()
	case stepFiles:
		return a.files()
	case stepRepo:
		if b.stores("repo_url") {
			if err := a.ask("Repository URL (https://host/org/repo or git@host:org/repo.git)", &d.RepoURL, checkRepoURL, true); err != nil {
				return err
			}
		}
		return a.ask("Branch", &d.Branch, nil, true)
	case stepRequirements:
		return a.text("Python requirements (comma-separated; @FILE loads a requirements.txt)", stepRequirements, &d.Require)
	case stepNetwork:
		for _, q := range []struct {
			title string
			v     *string
		}{{"MCP servers (comma-separated)", &d.MCP}, {"Allowed outbound domains (comma-separated)", &d.AllowOut}, {"Blocked outbound domains (comma-separated)", &d.DenyOut}} {
			if err := a.ask(q.title, q.v, nil, true); err != nil {
				return err
			}
			*q.v = joinList(parseList(*q.v))
		}
	}
	return nil
}

func (a *accessible) model() error {
	b, d := a.b, a.b.d
	if len(b.models) > 0 {
		opts := make([]huh.Option[string], 0, len(b.models)+1)
		for _, id := range b.models {
			opts = append(opts, huh.NewOption(id, id))
		}
		opts = append(opts, huh.NewOption("Other: type a model id", otherModel))
		if d.ModelPick == "" {
			d.ModelPick = b.models[0]
		}
		if err := a.field(huh.NewSelect[string]().Title("Model:").Options(opts...).Value(&d.ModelPick)); err != nil {
			return err
		}
		if d.ModelPick != otherModel {
			return nil
		}
	} else {
		d.ModelPick = otherModel
		if b.modelsErr != nil {
			a.say("Could not list models (%v).", b.modelsErr)
		}
	}
	return a.ask("Model id (any LiteLLM model string)", &d.ModelCustom, nil, true)
}

// text asks for a one-line text, or @FILE to load a file into it.
func (a *accessible) text(title string, id stepID, v *string) error {
	for {
		if err := a.ask(title, v, nil, true); err != nil {
			return err
		}
		path, ok := strings.CutPrefix(strings.TrimSpace(*v), "@")
		if !ok {
			if id == stepRequirements {
				*v = joinList(parseList(*v)) // comma-separated on one line, one per line for pip
			}
			return nil
		}
		msg := loadText(id, expandHome(path))().(textLoadedMsg)
		if msg.err != nil {
			*v = ""
			a.say("Could not load %s: %v", path, msg.err)
			continue
		}
		*v = msg.text
		a.say("Loaded %s (%d lines) from %s.", human.Bytes(int64(len(msg.text))), strings.Count(strings.TrimRight(msg.text, "\n"), "\n")+1, path)
		return nil
	}
}

func (a *accessible) skills() error {
	b, d := a.b, a.b.d
	if b.skillsErr != nil {
		a.say("Could not list skills: %v", b.skillsErr)
	}
	opts := skillOptions(b.skills, d.SkillIDs)
	if len(opts) == 0 {
		a.say("No skills belong to owner %q. Create one with: lapctl skills create", strings.TrimSpace(d.OwnerID))
		return nil
	}
	if err := a.field(huh.NewMultiSelect[string]().Title("Skills (enter a number to toggle, 0 when done):").Options(opts...).Value(&d.SkillIDs)); err != nil {
		return err
	}
	for _, id := range d.SkillIDs {
		a.say("Appended to the prompt: <!-- skill:%s -->", id)
	}
	return nil
}

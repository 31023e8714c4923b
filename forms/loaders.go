package forms

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/human"
	"lapctl/spec"
)

// lookupTimeout bounds each server look-up the builder makes on its own.
const lookupTimeout = 15 * time.Second

type harnessesMsg struct {
	choices []client.HarnessChoice
	err     error
}

type modelsMsg struct {
	ids []string
	err error
}

type skillsMsg struct {
	owner  string
	skills []spec.Skill
	err    error
}

// textLoadedMsg carries a text file read for a text step (system prompt,
// requirements).
type textLoadedMsg struct {
	target stepID
	path   string
	text   string
	err    error
}

var errNoClient = errors.New("no server configured")

// builtinChoices is the contract's built-in harness list as picker choices,
// for a server that cannot be asked.
func builtinChoices() []client.HarnessChoice {
	var out []client.HarnessChoice
	for _, h := range spec.BuiltinHarnesses() {
		out = append(out, client.HarnessChoice{ID: h.ID, Name: h.Name, Kind: h.Kind, Description: h.Description, Available: h.Available})
	}
	return out
}

func (b *Builder) loadHarnesses() tea.Cmd {
	c, ctx := b.opts.Client, b.ctx
	return func() tea.Msg {
		if c == nil {
			return harnessesMsg{choices: builtinChoices(), err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		choices, err := c.HarnessChoices(ctx)
		if err != nil || len(choices) == 0 {
			// The picker still offers the built-in four, and says why.
			return harnessesMsg{choices: builtinChoices(), err: err}
		}
		return harnessesMsg{choices: choices}
	}
}

func (b *Builder) loadModels() tea.Cmd {
	c, ctx := b.opts.Client, b.ctx
	return func() tea.Msg {
		if c == nil {
			return modelsMsg{err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		models, err := c.Models(ctx)
		ids := make([]string, 0, len(models))
		for _, m := range models {
			if m.ID != "" {
				ids = append(ids, m.ID)
			}
		}
		return modelsMsg{ids: ids, err: err}
	}
}

func (b *Builder) loadSkills(owner string) tea.Cmd {
	c, ctx := b.opts.Client, b.ctx
	b.skillsBusy = true
	return func() tea.Msg {
		if c == nil {
			return skillsMsg{owner: owner, err: errNoClient}
		}
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		skills, err := c.ListSkills(ctx, owner)
		return skillsMsg{owner: owner, skills: skills, err: err}
	}
}

// maxTextFile caps a prompt or requirements file loaded into a text step;
// such files are small, and a large one is most likely the wrong file.
const maxTextFile = 1 << 20

// loadText reads a text file for a text step, checking its size first.
func loadText(target stepID, path string) tea.Cmd {
	return func() tea.Msg {
		msg := textLoadedMsg{target: target, path: path}
		info, err := os.Stat(path)
		switch {
		case err != nil:
			msg.err = err
		case info.IsDir():
			msg.err = errors.New("it is a directory: choose a file")
		case info.Size() > maxTextFile:
			msg.err = fmt.Errorf("it is %s bytes; a text file to load here must be at most %s bytes (1 MiB)", human.Count(int(info.Size())), human.Count(maxTextFile))
		}
		if msg.err != nil {
			return msg
		}
		data, err := os.ReadFile(path)
		switch {
		case err != nil:
			msg.err = err
		case !utf8.Valid(data):
			msg.err = errors.New("it is not UTF-8 text")
		default:
			msg.text = string(data)
		}
		return msg
	}
}

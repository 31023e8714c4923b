package forms

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// envStep edits the env vars as KEY=VALUE rows. huh has no field for a
// list of pairs, so this is a small bubbles model: a row list, a key and
// value editor, and a .env import. Every rule is the spec's, checked on
// each keystroke against the list as it would be with the row saved.
type envStep struct {
	b        *Builder
	mode     envMode
	cursor   int
	offset   int
	reveal   bool
	editIdx  int // row being edited, -1 for a new one
	keyIn    textinput.Model
	valIn    textinput.Model
	onValue  bool
	tried    bool
	importIn textinput.Model
	reading  string
	refusal  string
	removed  *envRow
	removedI int
}

type envMode int

const (
	envList envMode = iota
	envEdit
	envImport
)

// envImportedMsg carries a parsed .env file.
type envImportedMsg struct {
	path string
	rows []envRow
	err  error
}

func newEnvStep(b *Builder) step {
	e := &envStep{b: b, editIdx: -1}
	e.keyIn = e.newInput("e.g. GITHUB_TOKEN")
	e.valIn = e.newInput("")
	e.valIn.EchoCharacter = '•'
	e.importIn = e.newInput("path of a .env file")
	e.refit()
	return e
}

// newInput is a text input in the builder's styles.
func (e *envStep) newInput(placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.Placeholder = placeholder
	styleInput(&ti, e.b.st)
	return ti
}

func (e *envStep) rows() []envRow { return e.b.d.Env }

func (e *envStep) busy() bool { return e.reading != "" }

func (e *envStep) enter() tea.Cmd {
	e.mode, e.refusal = envList, ""
	// A server error about one variable puts the cursor on its row.
	if fe, ok := e.b.stepErr[stepEnv]; ok {
		if key, found := strings.CutPrefix(fe.Field, "env_vars."); found {
			for i, r := range e.rows() {
				if r.Key == key {
					e.cursor = i
				}
			}
		}
	}
	e.cursor = clampInt(e.cursor, 0, len(e.rows())-1)
	return nil
}

// refit bounds the inputs to the screen: a long value scrolls inside its
// input instead of widening the view.
func (e *envStep) refit() {
	for _, ti := range []*textinput.Model{&e.keyIn, &e.valIn, &e.importIn} {
		ti.SetWidth(max(e.b.width-4, 10))
	}
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}

func (e *envStep) update(msg tea.Msg) (stepMove, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		e.refusal = ""
		switch e.mode {
		case envList:
			return e.listKey(msg)
		case envEdit:
			return stay, e.editKey(msg)
		case envImport:
			return stay, e.importKey(msg)
		}
	}
	// Cursor blinks and the like go to the focused input.
	var cmd tea.Cmd
	switch e.mode {
	case envEdit:
		if e.onValue {
			e.valIn, cmd = e.valIn.Update(msg)
		} else {
			e.keyIn, cmd = e.keyIn.Update(msg)
		}
	case envImport:
		e.importIn, cmd = e.importIn.Update(msg)
	}
	return stay, cmd
}

func (e *envStep) listKey(k tea.KeyPressMsg) (stepMove, tea.Cmd) {
	n := len(e.rows())
	switch k.String() {
	case "tab":
		if errs := e.problems(e.rows()); len(errs) > 0 {
			e.refusal = "Fix the env vars first: " + errs[0]
			return stay, nil
		}
		return forward, nil
	case "shift+tab", "esc":
		return backward, nil
	case "up", "k":
		e.cursor = max(e.cursor-1, 0)
	case "down", "j":
		e.cursor = clampInt(e.cursor+1, 0, n-1)
	case "a", "+":
		return stay, e.startEdit(-1)
	case "enter", "e":
		if n == 0 {
			return stay, e.startEdit(-1)
		}
		return stay, e.startEdit(e.cursor)
	case "d", "x", "delete":
		if n > 0 {
			r := e.rows()[e.cursor]
			e.removed, e.removedI = &r, e.cursor
			e.b.d.Env = append(e.rows()[:e.cursor:e.cursor], e.rows()[e.cursor+1:]...)
			e.cursor = clampInt(e.cursor, 0, len(e.rows())-1)
			e.b.notice = fmt.Sprintf("Removed %s; u puts it back.", r.Key)
		}
	case "u":
		if e.removed != nil {
			i := min(e.removedI, len(e.rows()))
			e.b.d.Env = append(e.rows()[:i:i], append([]envRow{*e.removed}, e.rows()[i:]...)...)
			e.cursor, e.removed = i, nil
			e.b.notice = ""
		}
	case "r":
		e.reveal = !e.reveal
	case "i":
		e.mode = envImport
		e.importIn.SetValue(filepath.Join(e.b.opts.StartDir, ".env"))
		e.importIn.CursorEnd()
		return stay, e.importIn.Focus()
	}
	return stay, nil
}

func (e *envStep) startEdit(i int) tea.Cmd {
	e.mode, e.editIdx, e.onValue, e.tried = envEdit, i, false, false
	e.keyIn.SetValue("")
	e.valIn.SetValue("")
	if i >= 0 {
		e.keyIn.SetValue(e.rows()[i].Key)
		e.valIn.SetValue(e.rows()[i].Value)
	}
	e.keyIn.CursorEnd()
	e.valIn.CursorEnd()
	e.setEcho()
	e.valIn.Blur()
	return e.keyIn.Focus()
}

func (e *envStep) setEcho() {
	if e.reveal {
		e.valIn.EchoMode = textinput.EchoNormal
	} else {
		e.valIn.EchoMode = textinput.EchoPassword
	}
}

func (e *envStep) editKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		e.mode = envList
		return nil
	case "tab", "shift+tab":
		return e.switchInput()
	case "ctrl+r":
		e.reveal = !e.reveal
		e.setEcho()
		return nil
	case "enter":
		e.tried = true
		if len(e.editProblems()) > 0 {
			return nil
		}
		row := envRow{Key: e.keyIn.Value(), Value: e.valIn.Value()}
		if e.editIdx < 0 {
			e.b.d.Env = append(e.b.d.Env, row)
			e.cursor = len(e.b.d.Env) - 1
		} else {
			e.b.d.Env[e.editIdx] = row
			e.cursor = e.editIdx
		}
		e.mode = envList
		return nil
	}
	var cmd tea.Cmd
	if e.onValue {
		e.valIn, cmd = e.valIn.Update(k)
		return cmd
	}
	e.keyIn, cmd = e.keyIn.Update(k)
	// A pasted KEY=VALUE line fills both fields.
	if key, val, ok := strings.Cut(e.keyIn.Value(), "="); ok {
		e.keyIn.SetValue(strings.TrimSpace(key))
		e.valIn.SetValue(val + e.valIn.Value())
		e.valIn.CursorEnd()
		return tea.Batch(cmd, e.switchInput())
	}
	return cmd
}

func (e *envStep) switchInput() tea.Cmd {
	e.onValue = !e.onValue
	if e.onValue {
		e.keyIn.Blur()
		return e.valIn.Focus()
	}
	e.valIn.Blur()
	return e.keyIn.Focus()
}

func (e *envStep) importKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		e.mode = envList
		return nil
	case "enter":
		path := strings.TrimSpace(e.importIn.Value())
		if path == "" {
			e.refusal = "Type the path of a .env file."
			return nil
		}
		e.mode, e.reading = envList, path
		return tea.Batch(readDotEnv(path), e.b.startSpin())
	}
	var cmd tea.Cmd
	e.importIn, cmd = e.importIn.Update(k)
	return cmd
}

// imported merges a .env file: a key already set takes the file's value,
// new keys are added at the end. Rows breaking a rule are kept and
// flagged, so nothing in the file is silently dropped.
func (e *envStep) imported(msg envImportedMsg) {
	e.reading = ""
	if msg.err != nil {
		e.b.alert = "Could not import " + msg.path + ": " + msg.err.Error()
		return
	}
	e.b.alert = ""
	added, replaced := 0, 0
	for _, r := range msg.rows {
		found := false
		for i := range e.b.d.Env {
			if e.b.d.Env[i].Key == r.Key {
				e.b.d.Env[i].Value, found = r.Value, true
			}
		}
		if found {
			replaced++
		} else {
			e.b.d.Env = append(e.b.d.Env, r)
			added++
		}
	}
	e.b.notice = fmt.Sprintf("Imported %s: %d added, %d replaced.", msg.path, added, replaced)
}

package skills

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/common"
)

// EditorReadyMsg carries the temp file holding a skill's content, ready
// for the editor.
type EditorReadyMsg struct {
	Skill spec.Skill
	Path  string
	Err   error
}

// EditorDoneMsg reports the editor's exit.
type EditorDoneMsg struct {
	Skill spec.Skill
	Path  string
	Err   error
}

// editorCommand is $VISUAL or $EDITOR split into argv; there is no
// fallback, so a console whose environment names no editor never starts
// one the operator did not choose.
func (p *Page) editorCommand() []string {
	if p.Getenv == nil {
		return nil
	}
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(p.Getenv(v)); len(f) > 0 {
			return f
		}
	}
	return nil
}

// openEditor writes the content to a temp file (0600: skills may hold
// private instructions) in a command, then hands the terminal to the
// editor.
func (p *Page) openEditor(s spec.Skill) tea.Cmd {
	if p.NoEditor {
		return common.StatusCmd(common.LevelWarning, "$EDITOR is not available here: edit in the console (%s)", p.Keys.Edit.Help().Key)
	}
	if p.editorCommand() == nil {
		return common.StatusCmd(common.LevelWarning, "set $EDITOR (or $VISUAL) to edit in an editor, or edit here (%s)", p.Keys.Edit.Help().Key)
	}
	return func() tea.Msg {
		f, err := os.CreateTemp("", "lapctl-skill-*.md")
		if err != nil {
			return EditorReadyMsg{Skill: s, Err: err}
		}
		path := f.Name()
		if err := f.Chmod(0o600); err == nil {
			_, err = f.WriteString(s.Content)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				return EditorReadyMsg{Skill: s, Path: path}
			}
		} else {
			f.Close()
		}
		os.Remove(path)
		return EditorReadyMsg{Skill: s, Err: err}
	}
}

func (p *Page) onEditorReady(msg EditorReadyMsg) tea.Cmd {
	if msg.Err != nil {
		return common.ErrorCmd("prepare editor", msg.Err)
	}
	argv := append(p.editorCommand(), msg.Path)
	cmd := exec.Command(argv[0], argv[1:]...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		return EditorDoneMsg{Skill: msg.Skill, Path: msg.Path, Err: err}
	})
}

// onEditorDone reads the edited file back, removes it, and saves the
// content if it changed; all of it in a command.
func (p *Page) onEditorDone(msg EditorDoneMsg) tea.Cmd {
	ctx, c := p.Context(), p.Client
	return act(func() tea.Msg { return saveEdited(ctx, c, msg) })
}

// errUnchanged marks an editor session that changed nothing.
var errUnchanged = errors.New("content unchanged: nothing saved")

func saveEdited(ctx context.Context, c *client.Client, msg EditorDoneMsg) tea.Msg {
	data, rerr := os.ReadFile(msg.Path)
	os.Remove(msg.Path)
	switch {
	case msg.Err != nil:
		return SavedMsg{Err: msg.Err}
	case rerr != nil:
		return SavedMsg{Err: rerr}
	}
	content := string(data)
	if content == msg.Skill.Content {
		return SavedMsg{Err: errUnchanged}
	}
	sk, err := c.UpdateSkill(ctx, msg.Skill.ID, &spec.SkillPatch{Content: &content})
	return SavedMsg{Skill: sk, Err: err}
}

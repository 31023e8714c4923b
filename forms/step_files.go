package forms

import (
	"charm.land/bubbles/v2/progress"
	"fmt"
	"regexp"
	"strconv"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"lapctl/human"
	"lapctl/spec"
)

// filesStep lists the sandbox files. Files are chosen with huh's file
// picker, size-checked before anything is read, then read and encoded in
// the background with a progress bar; each gets a sandbox path
// (~/<name> by default) checked by the spec as it is typed.
type filesStep struct {
	b        *Builder
	mode     filesMode
	cursor   int
	offset   int
	pick     *huh.Form
	pickPath string
	pathIn   textinput.Model
	pathIdx  int
	load     *fileLoad
	loads    int
	refusal  string
	removed  *fileEntry
	removedI int
	bar      progress.Model

	// The spec's check decodes every file's base64, so its result is kept
	// until the files change.
	checkedVersion int
	version        int
	rowErrs        map[int][]string
	listErrs       []string
}

type filesMode int

const (
	filesList filesMode = iota
	filesPick
	filesPath
)

func newFilesStep(b *Builder) step {
	f := &filesStep{b: b, checkedVersion: -1}
	f.pathIn = textinput.New()
	f.pathIn.Prompt = "> "
	styleInput(&f.pathIn, b.st)
	f.bar = b.newBar()
	f.refit()
	return f
}

func (f *filesStep) files() []fileEntry { return f.b.d.Files }

func (f *filesStep) busy() bool { return f.load != nil }

func (f *filesStep) changed() { f.version++ }

func (f *filesStep) enter() tea.Cmd {
	f.mode, f.refusal = filesList, ""
	if fe, ok := f.b.stepErr[stepFiles]; ok {
		if i, ok := fileIndex(fe.Field); ok {
			f.cursor = i
		}
	}
	f.cursor = clampInt(f.cursor, 0, len(f.files())-1)
	return nil
}

var fileIndexRe = regexp.MustCompile(`^sandbox_files\[(\d+)\]`)

// fileIndex reads the row out of a field like sandbox_files[2].sandbox_path.
func fileIndex(field string) (int, bool) {
	m := fileIndexRe.FindStringSubmatch(field)
	if m == nil {
		return 0, false
	}
	i, err := strconv.Atoi(m[1])
	return i, err == nil
}

func (f *filesStep) refit() {
	if f.pick != nil {
		f.pick.WithWidth(f.b.width)
		m, _ := f.pick.Update(tea.WindowSizeMsg{Width: f.b.width, Height: f.b.bodyHeight() - 2})
		f.pick = m.(*huh.Form)
	}
	f.bar.SetWidth(min(f.b.width-2, 60))
	f.pathIn.SetWidth(max(f.b.width-4, 10))
}

func (f *filesStep) update(msg tea.Msg) (stepMove, tea.Cmd) {
	switch msg := msg.(type) {
	case fileStatMsg:
		return stay, f.stated(msg)
	case loadProgressMsg:
		if f.load != nil && msg.id == f.load.id {
			f.load.read = msg.read
			return stay, f.load.wait()
		}
		return stay, nil
	case loadDoneMsg:
		return stay, f.loaded(msg)
	case tea.KeyPressMsg:
		f.refusal = ""
		switch f.mode {
		case filesList:
			return f.listKey(msg)
		case filesPath:
			return stay, f.pathKey(msg)
		}
	}
	switch f.mode {
	case filesPick:
		return stay, f.updatePick(msg)
	case filesPath:
		var cmd tea.Cmd
		f.pathIn, cmd = f.pathIn.Update(msg)
		return stay, cmd
	}
	return stay, nil
}

func (f *filesStep) listKey(k tea.KeyPressMsg) (stepMove, tea.Cmd) {
	n := len(f.files())
	switch k.String() {
	case "tab":
		if f.load != nil {
			f.refusal = "Wait until " + f.load.path + " is read."
			return stay, nil
		}
		if errs := f.problems(); len(errs) > 0 {
			f.refusal = "Fix the files first: " + errs[0]
			return stay, nil
		}
		return forward, nil
	case "shift+tab":
		return backward, nil
	case "up", "k":
		f.cursor = max(f.cursor-1, 0)
	case "down", "j":
		f.cursor = clampInt(f.cursor+1, 0, n-1)
	case "a", "+":
		if f.load != nil {
			f.refusal = "Wait until " + f.load.path + " is read."
			return stay, nil
		}
		return stay, f.startPick()
	case "enter", "e", "p":
		if n == 0 {
			return stay, f.startPick()
		}
		return stay, f.startPath(f.cursor)
	case "d", "x", "delete":
		if n > 0 {
			r := f.files()[f.cursor]
			f.removed, f.removedI = &r, f.cursor
			f.b.d.Files = append(f.files()[:f.cursor:f.cursor], f.files()[f.cursor+1:]...)
			f.cursor = clampInt(f.cursor, 0, len(f.files())-1)
			f.changed()
			f.b.notice = fmt.Sprintf("Removed %s; u puts it back.", r.Name)
		}
	case "u":
		if f.removed != nil {
			i := min(f.removedI, len(f.files()))
			f.b.d.Files = append(f.files()[:i:i], append([]fileEntry{*f.removed}, f.files()[i:]...)...)
			f.cursor, f.removed = i, nil
			f.changed()
			f.b.notice = ""
		}
	}
	return stay, nil
}

func (f *filesStep) startPick() tea.Cmd {
	f.mode, f.pickPath = filesPick, ""
	picker := huh.NewFilePicker().Title("Choose a file to add").
		Description("enter opens a folder or picks a file • h or ← goes up • esc closes").
		FileAllowed(true).DirAllowed(false).ShowSize(true).ShowPermissions(false).Picking(true).Value(&f.pickPath)
	if dir := f.b.opts.StartDir; dir != "" {
		picker.CurrentDirectory(dir)
	}
	f.pick = huh.NewForm(huh.NewGroup(picker)).
		WithTheme(f.b.theme).WithKeyMap(f.b.keys).WithShowHelp(true).WithWidth(f.b.width)
	f.refit()
	return f.pick.Init()
}

func (f *filesStep) updatePick(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "tab" {
		f.pick, f.mode = nil, filesList // tab leaves the picker, as esc does
		return nil
	}
	m, cmd := f.pick.Update(msg)
	f.pick = m.(*huh.Form)
	if f.pick.State != huh.StateCompleted {
		return cmd
	}
	f.pick, f.mode = nil, filesList
	if f.pickPath == "" {
		return nil
	}
	return statFile(f.pickPath)
}

// stated admits or refuses a chosen file by its size, before reading it.
func (f *filesStep) stated(msg fileStatMsg) tea.Cmd {
	if msg.err != nil {
		f.refusal = msg.err.Error()
		return nil
	}
	if why := admit(f.files(), msg.path, msg.size); why != "" {
		f.refusal = why
		return nil
	}
	f.loads++
	budget := spec.MaxFilesBase64 - base64Used(f.files())
	var cmd tea.Cmd
	f.load, cmd = startLoad(f.b.ctx, f.loads, msg.path, msg.size, budget)
	return tea.Batch(cmd, f.b.startSpin())
}

func (f *filesStep) loaded(msg loadDoneMsg) tea.Cmd {
	if f.load == nil || msg.id != f.load.id {
		return nil
	}
	f.load = nil
	if msg.err != nil {
		f.refusal = "Could not read the file: " + msg.err.Error()
		return nil
	}
	f.b.d.Files = append(f.b.d.Files, msg.entry)
	f.changed()
	f.cursor = len(f.b.d.Files) - 1
	f.b.notice = fmt.Sprintf("Added %s (%s). Check its sandbox path.", msg.entry.Name, human.Bytes(msg.entry.Size))
	if f.b.mode == modeStep && f.b.cur == stepFiles && f.mode == filesList {
		return f.startPath(f.cursor)
	}
	return nil
}

func (f *filesStep) startPath(i int) tea.Cmd {
	if f.files()[i].Kept {
		f.refusal = f.files()[i].Name + " is stored on the server and keeps its path: remove it and add the file again to move it."
		return nil
	}
	f.mode, f.pathIdx = filesPath, i
	f.pathIn.SetValue(f.files()[i].SandboxPath)
	f.pathIn.CursorEnd()
	return f.pathIn.Focus()
}

func (f *filesStep) pathKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		f.mode = filesList
		return nil
	case "enter":
		if checkSandboxPath(f.pathIn.Value()) != nil {
			return nil
		}
		f.b.d.Files[f.pathIdx].SandboxPath = f.pathIn.Value()
		f.changed()
		f.mode = filesList
		f.b.notice = ""
		return nil
	}
	var cmd tea.Cmd
	f.pathIn, cmd = f.pathIn.Update(k)
	return cmd
}

// check runs the spec's sandbox file rules when the files changed,
// splitting the messages by row.
func (f *filesStep) check() {
	if f.checkedVersion == f.version {
		return
	}
	f.checkedVersion = f.version
	f.rowErrs, f.listErrs = map[int][]string{}, nil
	for _, fe := range spec.ValidateSandboxFiles(sandboxFiles(f.files()), f.b.editing()) {
		if i, ok := fileIndex(fe.Field); ok {
			f.rowErrs[i] = append(f.rowErrs[i], fe.Message)
		} else {
			f.listErrs = append(f.listErrs, fe.Message)
		}
	}
}

func (f *filesStep) problems() []string {
	f.check()
	var out []string
	for i := range f.files() {
		out = append(out, f.rowErrs[i]...)
	}
	return append(out, f.listErrs...)
}

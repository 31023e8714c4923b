package forms

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"lapctl/human"
	"lapctl/spec"
)

// filesStep lists the sandbox files. Files are chosen with the picker
// (picker.go), size-checked before anything is read, then read and encoded in
// the background with a progress bar; each gets a sandbox path
// (~/<name> by default) checked by the spec as it is typed.
type filesStep struct {
	b        *Builder
	mode     filesMode
	cursor   int
	offset   int
	pick     *picker // kept between picks, so the next one starts where the last ended
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
		f.pick.refit()
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
	case pickDirMsg:
		if f.pick != nil {
			f.pick.read(msg)
		}
		return stay, nil
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
	case "esc":
		if f.load != nil {
			f.cancelLoad()
			return stay, nil
		}
		return backward, nil
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
	f.mode = filesPick
	if f.pick == nil {
		f.pick = newPicker(f.b, f.b.opts.StartDir)
	}
	f.pick.typing = false
	if p := f.pick; p.cursor < len(p.entries) {
		p.focus = p.entries[p.cursor].name // the refreshed list keeps the place
	}
	return f.pick.open(f.pick.dir)
}

// updatePick runs the picker; a chosen file is size-checked while the
// picker stays open, so a refusal is shown where the file was chosen.
func (f *filesStep) updatePick(msg tea.Msg) tea.Cmd {
	res, cmd := f.pick.update(msg)
	switch {
	case res.closed:
		f.mode = filesList
	case res.path != "":
		return statFile(res.path)
	}
	return cmd
}

// stated admits or refuses a chosen file by its size and its default
// sandbox path, before reading it.
func (f *filesStep) stated(msg fileStatMsg) tea.Cmd {
	if msg.err != nil {
		f.refusal = msg.err.Error()
		return nil
	}
	if why := admit(f.files(), msg.path, msg.size); why != "" {
		f.refusal = why
		return nil
	}
	if why := duplicatePath(f.files(), "~/"+filepath.Base(msg.path)); why != "" {
		f.refusal = why
		return nil
	}
	f.mode = filesList
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
	f.load.cancel()
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
		f.b.notice = "" // "Check its sandbox path" is done with
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

// cancelLoad stops the file being read; nothing of it is added.
func (f *filesStep) cancelLoad() {
	f.load.cancel()
	f.b.notice = "Stopped reading " + filepath.Base(f.load.path) + ": it was not added."
	f.load = nil
}

// duplicatePath is the spec's refusal of a new file at sandbox path
// when another file has it already, or "".
func duplicatePath(files []fileEntry, path string) string {
	probe := append(sandboxFiles(files), spec.SandboxFile{Name: filepath.Base(path), SandboxPath: path, Content: "eA==", Size: 1})
	at := fmt.Sprintf("sandbox_files[%d].sandbox_path", len(files))
	for _, fe := range spec.ValidateSandboxFiles(probe, true) {
		if fe.Field == at && fe.Rule == spec.RuleDuplicatePath {
			return fmt.Sprintf("%s cannot be added as %s: %s. Remove that file or change its sandbox path first.", filepath.Base(path), path, fe.Message)
		}
	}
	return ""
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

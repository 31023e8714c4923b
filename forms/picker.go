package forms

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"lapctl/human"
)

// picker chooses a local file for the files step. huh's file picker (and
// the bubbles one under it) cannot climb above a relative start folder,
// shows no hidden files and takes no typed path, so this small list does
// what the files step needs: it walks anywhere (up to /, ~ for home), takes
// a typed path (absolute, relative to the folder shown, or ~/…) with tab
// completion, and shows hidden files on request. Folders are read in a
// tea.Cmd, so a slow disk never blocks Update.
type picker struct {
	b       *Builder
	dir     string // absolute
	home    string // "" when unknown
	entries []pickEntry
	cursor  int
	offset  int
	hidden  bool
	readErr string
	readID  int
	focus   string // entry to put the cursor on once dir is read (after going up)

	typing bool
	in     textinput.Model
	cands  []string // completion candidates when several match
	note   string   // why a typed path or completion did nothing
}

type pickEntry struct {
	name string
	dir  bool
	size int64
}

// pickDirMsg is a folder read for the picker.
type pickDirMsg struct {
	id      int
	dir     string
	entries []pickEntry
	err     error
}

// pickResult is what a key did to the picker: a file chosen, or the
// picker closed.
type pickResult struct {
	path   string
	closed bool
}

func newPicker(b *Builder, start string) *picker {
	p := &picker{b: b}
	p.home, _ = os.UserHomeDir()
	p.dir = absStartDir(start)
	p.in = textinput.New()
	p.in.Prompt = "path: "
	p.in.Placeholder = "/abs/path, ../relative or ~/file; tab completes"
	styleInput(&p.in, b.st)
	p.refit()
	return p
}

func (p *picker) refit() { p.in.SetWidth(max(p.b.width-10, 10)) }

// open reads dir and shows it once read.
func (p *picker) open(dir string) tea.Cmd {
	p.readID++
	id, hidden := p.readID, p.hidden
	return func() tea.Msg {
		entries, err := readPickDir(dir, hidden)
		return pickDirMsg{id: id, dir: dir, entries: entries, err: err}
	}
}

// readPickDir lists dir, folders first, each group by name; a symlink
// counts as what it points to.
func readPickDir(dir string, hidden bool) ([]pickEntry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]pickEntry, 0, len(des))
	for _, de := range des {
		if !hidden && strings.HasPrefix(de.Name(), ".") {
			continue
		}
		e := pickEntry{name: de.Name(), dir: de.IsDir()}
		info, err := de.Info()
		if de.Type()&fs.ModeSymlink != 0 {
			info, err = os.Stat(filepath.Join(dir, de.Name()))
		}
		if err == nil {
			e.dir, e.size = info.IsDir(), info.Size()
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b pickEntry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	return out, nil
}

func (p *picker) read(msg pickDirMsg) {
	if msg.id != p.readID {
		return
	}
	if msg.err != nil {
		p.readErr = "Cannot open " + msg.dir + ": " + plainErr(msg.err)
		return
	}
	p.dir, p.entries, p.readErr, p.cursor, p.offset = msg.dir, msg.entries, "", 0, 0
	if i := slices.IndexFunc(p.entries, func(e pickEntry) bool { return e.name == p.focus }); i >= 0 {
		p.cursor = i
	}
	p.focus = ""
}

// plainErr is err's reason without the path, which the message names
// already.
func plainErr(err error) string { return plainError(err).Error() }

func (p *picker) canUp() bool   { return filepath.Dir(p.dir) != p.dir }
func (p *picker) canHome() bool { return p.home != "" && p.home != p.dir }

func (p *picker) update(msg tea.Msg) (pickResult, tea.Cmd) {
	switch msg := msg.(type) {
	case pickDirMsg:
		p.read(msg)
		return pickResult{}, nil
	case tea.KeyPressMsg:
		p.note = ""
		if p.typing {
			return p.typeKey(msg)
		}
		return p.browseKey(msg)
	}
	if p.typing {
		var cmd tea.Cmd
		p.in, cmd = p.in.Update(msg)
		return pickResult{}, cmd
	}
	return pickResult{}, nil
}

func (p *picker) browseKey(k tea.KeyPressMsg) (pickResult, tea.Cmd) {
	switch k.String() {
	case "esc", "tab":
		return pickResult{closed: true}, nil
	case "up", "k":
		if n := len(p.entries); n > 0 {
			p.cursor = (p.cursor + n - 1) % n // wraps, so the key always moves
		}
	case "down", "j":
		if n := len(p.entries); n > 0 {
			p.cursor = (p.cursor + 1) % n
		}
	case "enter", "l", "right":
		if len(p.entries) == 0 {
			return pickResult{}, nil
		}
		e := p.entries[p.cursor]
		path := filepath.Join(p.dir, e.name)
		if e.dir {
			return pickResult{}, p.open(path)
		}
		return pickResult{path: path}, nil
	case "h", "left", "backspace":
		if p.canUp() {
			p.focus = filepath.Base(p.dir)
			return pickResult{}, p.open(filepath.Dir(p.dir))
		}
	case "~":
		if p.canHome() {
			return pickResult{}, p.open(p.home)
		}
	case ".":
		p.hidden = !p.hidden
		if p.cursor < len(p.entries) {
			p.focus = p.entries[p.cursor].name
		}
		return pickResult{}, p.open(p.dir)
	case "p":
		p.typing, p.cands = true, nil
		p.in.SetValue("")
		return pickResult{}, p.in.Focus()
	}
	return pickResult{}, nil
}

func (p *picker) typeKey(k tea.KeyPressMsg) (pickResult, tea.Cmd) {
	switch k.String() {
	case "esc":
		p.typing, p.cands = false, nil
		p.in.Blur()
		return pickResult{}, nil
	case "tab":
		p.complete()
		return pickResult{}, nil
	case "enter":
		typed := strings.TrimSpace(p.in.Value())
		if typed == "" {
			p.note = "Type a path first."
			return pickResult{}, nil
		}
		path := p.resolve(typed)
		info, err := os.Stat(path)
		switch {
		case err != nil:
			p.note = "Cannot use " + path + ": " + plainErr(err)
			return pickResult{}, nil
		case info.IsDir():
			p.typing, p.cands = false, nil
			p.in.Blur()
			return pickResult{}, p.open(path)
		}
		return pickResult{path: path}, nil
	}
	var cmd tea.Cmd
	p.in, cmd = p.in.Update(k)
	p.cands = nil
	return pickResult{}, cmd
}

// resolve makes a typed path absolute from the folder shown.
func (p *picker) resolve(typed string) string { return resolveTyped(typed, p.dir, p.home) }

// resolveTyped makes a typed path absolute: ~ is the home folder, and a
// relative path is taken from dir.
func resolveTyped(typed, dir, home string) string {
	switch {
	case typed == "~":
		typed = home
	case strings.HasPrefix(typed, "~/"):
		typed = filepath.Join(home, typed[2:])
	case !filepath.IsAbs(typed):
		typed = filepath.Join(dir, typed)
	}
	return filepath.Clean(typed)
}

// absStartDir is where pickers start: StartDir made absolute (so going up
// from it works), or the working directory.
func absStartDir(start string) string {
	if start == "" {
		start, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(start); err == nil {
		return abs
	}
	return filepath.Clean(start)
}

// complete extends the typed path to the longest prefix its folder's
// entries share, and lists them when several remain.
func (p *picker) complete() {
	typed := p.in.Value()
	if typed == "~" {
		typed = "~/"
	}
	head, prefix := "", typed
	if i := strings.LastIndex(typed, "/"); i >= 0 {
		head, prefix = typed[:i+1], typed[i+1:]
	}
	dir := p.dir
	if head != "" {
		dir = p.resolve(head)
	}
	entries, err := readPickDir(dir, p.hidden || strings.HasPrefix(prefix, "."))
	if err != nil {
		p.note = "Cannot open " + dir + ": " + plainErr(err)
		return
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.name, prefix) {
			n := e.name
			if e.dir {
				n += "/"
			}
			names = append(names, n)
		}
	}
	p.cands = nil
	switch len(names) {
	case 0:
		p.note = fmt.Sprintf("Nothing in %s starts with %q.", dir, prefix)
		p.in.SetValue(typed)
	case 1:
		p.in.SetValue(head + names[0])
	default:
		p.in.SetValue(head + commonPrefix(names))
		p.cands = names
	}
	p.in.CursorEnd()
}

func commonPrefix(names []string) string {
	pre := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, pre) {
			pre = pre[:len(pre)-1]
		}
	}
	return pre
}

// hint is one entry of a key line: label is what it shows, keys every
// key it stands for (a test presses each to check the hint is true).
type hint struct {
	label string
	keys  []string
	text  string
}

// hints are the keys that do something now, and only those.
func (p *picker) hints() []hint {
	if p.typing {
		return []hint{
			{"tab", []string{"tab"}, "complete"},
			{"enter", []string{"enter"}, "add the file or open the folder"},
			{"esc", []string{"esc"}, "back to the list"},
		}
	}
	var hs []hint
	if len(p.entries) > 1 {
		hs = append(hs, hint{"↑↓", []string{"up", "k", "down", "j"}, "move"})
	}
	if len(p.entries) > 0 {
		what := "add"
		if p.entries[p.cursor].dir {
			what = "open"
		}
		hs = append(hs, hint{"enter", []string{"enter", "l", "right"}, what})
	}
	if p.canUp() {
		hs = append(hs, hint{"←/h", []string{"h", "left", "backspace"}, "up"})
	}
	if p.canHome() {
		hs = append(hs, hint{"~", []string{"~"}, "home"})
	}
	show := "show hidden"
	if p.hidden {
		show = "hide hidden"
	}
	return append(hs,
		hint{".", []string{"."}, show},
		hint{"p", []string{"p"}, "type a path"},
		hint{"esc", []string{"esc", "tab"}, "close"})
}

func (p *picker) hintLine() string {
	var pairs []string
	for _, h := range p.hints() {
		pairs = append(pairs, h.label, h.text)
	}
	return p.b.keyHelp(pairs...)
}

func (p *picker) view(height int) string {
	st := p.b.st
	w := p.b.width
	head := []string{st.Label.Render("Choose a file to add"), st.Muted.Render(truncateLeft(p.shortDir(), w))}
	var foot []string
	if p.typing {
		foot = append(foot, p.in.View())
		if len(p.cands) > 0 {
			foot = append(foot, st.Muted.Render(wrapText(strings.Join(p.cands, "  "), w)))
		}
	}
	for _, m := range []string{p.readErr, p.note} {
		if m != "" {
			foot = append(foot, st.Error.Render(wrapText("✗ "+m, w)))
		}
	}
	foot = append(foot, "", p.hintLine())
	room := max(height-len(head)-strings.Count(strings.Join(foot, "\n"), "\n")-1, 1)
	var body []string
	if len(p.entries) == 0 {
		body = append(body, st.Muted.Render("  (empty folder)"))
	}
	p.offset = clampInt(p.offset, max(p.cursor-room+1, 0), p.cursor)
	for i := p.offset; i < len(p.entries) && i < p.offset+room; i++ {
		e := p.entries[i]
		prefix, name := "  ", e.name
		if i == p.cursor && !p.typing {
			prefix = st.Key.Render("> ")
		}
		line := prefix + st.Text.Render(name)
		if e.dir {
			line = prefix + st.Key.Render(name+"/")
		} else {
			line += "  " + st.Muted.Render(human.Bytes(e.size))
		}
		body = append(body, truncate(line, w))
	}
	return strings.Join(append(append(head, body...), foot...), "\n")
}

// shortDir is the folder shown, with the home folder as ~ as a shell
// writes it.
func (p *picker) shortDir() string {
	if p.home == "" || p.home == "/" {
		return p.dir
	}
	if p.dir == p.home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(p.dir, p.home+string(filepath.Separator)); ok {
		return "~/" + rest
	}
	return p.dir
}

// truncateLeft keeps the end of a long path, where the folder's own name is.
func truncateLeft(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	return "…" + string(r[len(r)-w+1:])
}

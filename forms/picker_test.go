package forms

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lapctl/spec"
)

// pickerTree lays out files under root (names ending in / are folders).
func pickerTree(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("content of "+n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pickerDriver opens the files step with the working directory (and
// StartDir ".", as the command line has it) in root/start, and HOME in
// root/home.
func pickerDriver(t *testing.T, root string, initial []spec.SandboxFile) *driver {
	t.Helper()
	t.Setenv("HOME", filepath.Join(root, "home"))
	t.Chdir(filepath.Join(root, "start"))
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: ".", Initial: &spec.AgentSpec{SandboxFiles: initial}})
	walkToEnv(t, d)
	d.press("tab")
	d.waitFor("Step 7 of 10: Sandbox files")
	return d
}

func (d *driver) picker() *picker { return d.b.steps[stepFiles].(*filesStep).pick }

// TestPickerWalksUpFromStart: h goes above the folder the picker opened
// in (a relative ".", where huh's picker stayed put), and a file found
// there is added with a sandbox path from its name.
func TestPickerWalksUpFromStart(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/here.txt", "notes.md", "home/")
	d := pickerDriver(t, root, nil)
	d.press("a")
	d.see("Choose a file to add", filepath.Join(root, "start"), "here.txt")
	d.press("h")
	d.see(root, "start/", "notes.md")
	if got := d.picker().entries[d.picker().cursor].name; got != "start" {
		t.Fatalf("after going up the cursor is on %q, want the folder left (start)", got)
	}
	d.press("down", "enter") // home/, start/ (the cursor), notes.md
	d.see("Sandbox path for notes.md", "> ~/notes.md")
	d.press("enter")
	d.see("1/20 files")
	if f := d.b.d.Files[0]; f.Local != filepath.Join(root, "notes.md") || f.SandboxPath != "~/notes.md" {
		t.Fatalf("file = %+v", f)
	}

	// Up, all the way to /, where up is no longer offered.
	d.press("a")
	for range strings.Count(root, "/") + 1 {
		d.press("left")
	}
	if d.picker().dir != "/" {
		t.Fatalf("dir = %q after going up to the top", d.picker().dir)
	}
	d.notSee("←/h up")
	d.press("backspace")
	if d.picker().dir != "/" {
		t.Fatalf("dir = %q: backspace at / went somewhere", d.picker().dir)
	}
}

// TestPickerTypedPaths: a relative path from the folder shown, ~/… and an
// absolute one; a folder typed opens; a bad path says why and keeps the
// text.
func TestPickerTypedPaths(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/x.txt", "notes.md", "home/.ssh/config", "abs/deep/file.cfg")
	d := pickerDriver(t, root, nil)
	d.press("a", "p")
	d.see("path:", "tab complete", "esc back to the list")
	d.typeText("../notes.md")
	d.press("enter")
	d.see("Sandbox path for notes.md")
	d.press("enter")

	d.press("a", "p")
	d.typeText("~/.ssh/config")
	d.press("enter")
	d.see("Sandbox path for config", "> ~/config")
	d.press("enter")

	d.press("a", "p")
	d.typeText(filepath.Join(root, "abs"))
	d.press("enter")
	d.see(filepath.Join(root, "abs"), "deep/")
	d.notSee("path:")

	d.press("p")
	d.typeText("nope.txt")
	d.press("enter")
	d.see("✗ Cannot use " + filepath.Join(root, "abs", "nope.txt") + ": no such file or directory")
	if v := d.picker().in.Value(); v != "nope.txt" {
		t.Fatalf("typed path lost: %q", v)
	}
	d.press("esc")
	d.notSee("path:")
	d.see("Choose a file to add")
	d.press("esc")
	d.see("Sandbox files  2/20 files")
	locals := []string{d.b.d.Files[0].Local, d.b.d.Files[1].Local}
	if !slices.Equal(locals, []string{filepath.Join(root, "notes.md"), filepath.Join(root, "home", ".ssh", "config")}) {
		t.Fatalf("files read from %v", locals)
	}
}

func TestPickerTabCompletion(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/notes-a.md", "start/notes-b.md", "start/other/inner.txt", "start/.hidden.txt", "home/")
	d := pickerDriver(t, root, nil)
	d.press("a", "p")
	d.typeText("no")
	d.press("tab")
	if v := d.picker().in.Value(); v != "notes-" {
		t.Fatalf("completed to %q, want the common prefix notes-", v)
	}
	d.see("notes-a.md  notes-b.md")
	d.typeText("b")
	d.notSee("notes-a.md  notes-b.md") // typing drops the stale list
	d.press("tab")
	if v := d.picker().in.Value(); v != "notes-b.md" {
		t.Fatalf("completed to %q", v)
	}
	d.clear()
	d.typeText("ot")
	d.press("tab")
	if v := d.picker().in.Value(); v != "other/" {
		t.Fatalf("a folder completes with its slash: %q", v)
	}
	d.press("tab")
	if v := d.picker().in.Value(); v != "other/inner.txt" {
		t.Fatalf("completed inside the folder to %q", v)
	}
	d.clear()
	d.typeText(".h") // a hidden name typed completes though hidden files are not shown
	d.press("tab")
	if v := d.picker().in.Value(); v != ".hidden.txt" {
		t.Fatalf("completed to %q", v)
	}
	d.clear()
	d.typeText("zz")
	d.press("tab")
	d.see(`✗ Nothing in ` + filepath.Join(root, "start") + ` starts with "zz".`)
	d.clear()
	d.typeText("~")
	d.press("tab")
	if v := d.picker().in.Value(); v != "~/" {
		t.Fatalf("~ completed to %q", v)
	}
}

func TestPickerHiddenFiles(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/.env", "start/visible.txt", "home/")
	d := pickerDriver(t, root, nil)
	d.press("a")
	d.see("visible.txt", ". show hidden")
	d.notSee(".env")
	d.press(".")
	d.see(".env", ". hide hidden")
	d.press("up", "enter") // .env sorts first
	d.see("Sandbox path for .env", "> ~/.env")
}

// TestPickerDuplicateSandboxPath: a second file whose name gives the same
// sandbox path is refused at the picker with the spec's message.
func TestPickerDuplicateSandboxPath(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/notes.md", "home/")
	d := pickerDriver(t, root, []spec.SandboxFile{{Name: "notes.md", SandboxPath: "~/notes.md", Content: "eA==", Size: 1}})
	d.press("a", "enter")
	d.see("Choose a file to add", "✗ notes.md cannot be added as ~/notes.md: ~/notes.md is also the path of sandbox_files[0]: each file needs its own sandbox path")
	if len(d.b.d.Files) != 1 {
		t.Fatalf("%d files", len(d.b.d.Files))
	}
}

// pickerState is everything a key can change in the picker.
func pickerState(p *picker, res pickResult) string {
	return fmt.Sprintf("dir=%s cursor=%d hidden=%v typing=%v value=%q cands=%v note=%q res=%+v entries=%d",
		p.dir, p.cursor, p.hidden, p.typing, p.in.Value(), p.cands, p.note, res, len(p.entries))
}

// TestPickerHintsAreTrue presses every key each hint names, in each of the
// picker's states, and fails on one that changes nothing.
func TestPickerHintsAreTrue(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	pickerTree(t, root, "start/a.txt", "start/b.txt", "start/sub/", "home/")
	t.Setenv("HOME", filepath.Join(root, "home"))
	b := NewBuilder(Options{})
	t.Cleanup(b.cancel)
	run := func(p *picker, k string) pickResult {
		res, cmd := p.update(keyMsg(k))
		for cmd != nil {
			msg := cmd()
			if dm, ok := msg.(pickDirMsg); ok {
				p.read(dm)
			}
			cmd = nil
		}
		return res
	}
	states := map[string]func() *picker{
		"on a file": func() *picker {
			p := newPicker(b, filepath.Join(root, "start"))
			p.read(p.open(p.dir)().(pickDirMsg))
			p.cursor = 1 // sub/, a.txt, b.txt
			return p
		},
		"on a folder": func() *picker {
			p := newPicker(b, filepath.Join(root, "start"))
			p.read(p.open(p.dir)().(pickDirMsg))
			return p
		},
		"at /": func() *picker {
			p := newPicker(b, "/")
			p.read(p.open(p.dir)().(pickDirMsg))
			return p
		},
		"at home": func() *picker {
			p := newPicker(b, filepath.Join(root, "home"))
			p.read(p.open(p.dir)().(pickDirMsg))
			return p
		},
		"typing": func() *picker {
			p := newPicker(b, filepath.Join(root, "start"))
			p.read(p.open(p.dir)().(pickDirMsg))
			run(p, "p")
			return p
		},
	}
	for name, mk := range states {
		for _, h := range mk().hints() {
			for _, k := range h.keys {
				p := mk()
				before := pickerState(p, pickResult{})
				res := run(p, k)
				if after := pickerState(p, res); after == before {
					t.Errorf("%s: hinted key %q (%s %s) did nothing: %s", name, k, h.label, h.text, after)
				}
			}
		}
	}
	if slices.ContainsFunc(states["at /"]().hints(), func(h hint) bool { return h.text == "up" }) {
		t.Error("at / the hints offer to go up")
	}
	if slices.ContainsFunc(states["at home"]().hints(), func(h hint) bool { return h.text == "home" }) {
		t.Error("at home the hints offer to go home")
	}
}

package forms

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"lapctl/spec"
)

// filesDriver opens the builder on the files step with initial files, and
// a start directory holding the given local files.
func filesDriver(t *testing.T, initial []spec.SandboxFile, local map[string][]byte) *driver {
	t.Helper()
	dir := t.TempDir()
	for name, data := range local {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: dir, Initial: &spec.AgentSpec{SandboxFiles: initial}})
	walkToEnv(t, d)
	d.press("tab")
	d.waitFor("Step 7 of 10: Sandbox files")
	return d
}

func smallFile(i int) spec.SandboxFile {
	return spec.SandboxFile{Name: fmt.Sprintf("f%d.txt", i), SandboxPath: fmt.Sprintf("~/f%d.txt", i), Content: base64.StdEncoding.EncodeToString([]byte("x")), Size: 1}
}

func TestFilesPickAndSandboxPathRules(t *testing.T) {
	d := filesDriver(t, nil, map[string][]byte{"notes.md": []byte("hello")})
	d.see("0/20 files · 0 B/10 MiB base64")
	d.press("a")
	d.see("Choose a file to add", "notes.md")
	d.press("enter")
	d.see("Sandbox path for notes.md (5 B)", "> ~/notes.md")
	d.notSee("✗")

	cases := map[string]string{
		"notes.md": `✗ sandbox_path "notes.md" must start with / (absolute) or ~ (home-relative), e.g. ~/notes.md`,
		"~/dir/":   `✗ sandbox_path "~/dir/" names a directory: add the file name`,
		"~":        `✗ sandbox_path "~" names a directory: add the file name`,
		"":         "✗ sandbox_path is required: give the path in the sandbox, starting with / or ~ (e.g. ~/notes.md)",
	}
	for typed, msg := range cases {
		d.clear()
		d.typeText(typed)
		d.see(msg)
		d.press("enter")
		d.see("Sandbox path for notes.md") // refused
	}
	d.clear()
	d.typeText("/opt/app/notes.md")
	d.notSee("✗")
	d.press("enter")
	d.see("notes.md", "/opt/app/notes.md", "1/20 files · 8 B/10 MiB base64")
	if f := d.b.d.Files[0]; f.SandboxPath != "/opt/app/notes.md" || f.Size != 5 || f.Content != base64.StdEncoding.EncodeToString([]byte("hello")) {
		t.Fatalf("file = %+v", f)
	}

	// Edit the path again from the list; esc keeps the old one.
	d.press("enter")
	d.clear()
	d.typeText("~/elsewhere")
	d.press("esc")
	d.see("/opt/app/notes.md")
	d.press("d")
	d.see("0/20 files", "Removed notes.md; u puts it back.")
	d.press("u")
	d.see("1/20 files")
}

func TestFilesCountLimit(t *testing.T) {
	var initial []spec.SandboxFile
	for i := range spec.MaxSandboxFiles {
		initial = append(initial, smallFile(i))
	}
	d := filesDriver(t, initial, map[string][]byte{"one-more.txt": []byte("x")})
	d.see("20/20 files")
	d.press("a", "enter")
	d.see("✗ 20 files are already added, the most allowed (20): remove one to add one-more.txt")
	if len(d.b.d.Files) != 20 {
		t.Fatalf("%d files", len(d.b.d.Files))
	}
	d.press("esc", "d", "a", "enter")
	d.see("Sandbox path for one-more.txt")
	d.press("enter")
	d.see("20/20 files")
}

func TestFilesBase64Boundary(t *testing.T) {
	// A stored file taking all but 4 base64 characters of the limit: a
	// 3-byte file (4 characters) fits exactly, a 4-byte one does not.
	bigContent := strings.Repeat("AAAA", spec.MaxFilesBase64/4-1)
	big := spec.SandboxFile{Name: "big.bin", SandboxPath: "~/big.bin", Content: bigContent, Size: int64(len(bigContent) / 4 * 3)}
	d := filesDriver(t, []spec.SandboxFile{big}, map[string][]byte{"a-three.bin": []byte("abc"), "b-four.bin": []byte("abcd")})
	d.press("a", "down", "enter") // b-four.bin
	d.see("✗ b-four.bin is 4 B (8 B as base64): with the 10 MiB already added that passes the 10 MiB limit (10,485,760 base64 characters); remove or shrink files first")
	d.see("Choose a file to add") // the picker stays open on a refusal
	d.press("up", "enter")        // a-three.bin
	d.see("Sandbox path for a-three.bin")
	d.press("enter")
	d.see("2/20 files · 10 MiB/10 MiB base64")
	d.notSee("✗")
	if got := spec.FilesBase64Total(sandboxFiles(d.b.d.Files)); got != spec.MaxFilesBase64 {
		t.Fatalf("total = %d", got)
	}
	d.press("tab")
	d.see("Step 8 of 10")
}

func TestFilesEmptyAndTooManyFromSpec(t *testing.T) {
	d := filesDriver(t, nil, map[string][]byte{"empty.txt": nil})
	d.press("a", "enter")
	d.see("✗ empty.txt is empty: a sandbox file needs at least one byte of content")

	// Too many files given up front (from -f) are flagged, not dropped,
	// and block the step until fixed.
	var initial []spec.SandboxFile
	for i := range spec.MaxSandboxFiles + 1 {
		initial = append(initial, smallFile(i))
	}
	d = filesDriver(t, initial, nil)
	d.see("21/20 files", "✗ 21 files given; at most 20 are allowed: remove 1")
	d.press("tab")
	d.see("Step 7 of 10", "✗ Fix the files first: 21 files given")
	d.press("d", "tab")
	d.see("Step 8 of 10")
}

func TestFilesBadPathFromSpecFlaggedOnRow(t *testing.T) {
	f := smallFile(0)
	f.SandboxPath = "relative.txt"
	d := filesDriver(t, []spec.SandboxFile{f}, nil)
	d.see(`✗ sandbox_path "relative.txt" must start with / (absolute) or ~ (home-relative)`)
	d.press("enter")
	d.clear()
	d.typeText("~/relative.txt")
	d.press("enter", "tab")
	d.see("Step 8 of 10")
}

// TestFilesProgressBar steps a large file's loading message by message:
// the bar shows while the file is read and encoded in the background.
func TestFilesProgressBar(t *testing.T) {
	d := filesDriver(t, nil, nil)
	path := filepath.Join(d.b.opts.StartDir, "large.bin")
	data := make([]byte, 4*loadChunk)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, cmd := d.b.Update(fileStatMsg{path: path, size: int64(len(data))})
	var wait tea.Cmd
	for _, c := range cmd().(tea.BatchMsg) {
		if !timerCmd(c) && c != nil {
			if msg, ok := c().(loadProgressMsg); ok {
				_, wait = d.b.Update(msg)
			}
		}
	}
	d.see("Reading and encoding "+path, "25%", "256 KiB of 1.0 MiB")
	if !strings.Contains(d.view(), "█") || !strings.Contains(d.view(), "░") {
		t.Fatalf("no progress bar:\n%s", d.view())
	}
	d.press("tab")
	d.see("✗ Wait until " + path + " is read.")
	d.run(wait)
	d.see("Sandbox path for large.bin (1.0 MiB)")
	d.notSee("Reading and encoding")
}

func TestAdmitAndBase64Used(t *testing.T) {
	kept := fileEntry{Name: "k", Size: 3, Kept: true}
	if got := base64Used([]fileEntry{kept}); got != 4 {
		t.Fatalf("kept file counts %d, want its encoded size 4", got)
	}
	if why := admit(nil, "/x/ok.bin", 1); why != "" {
		t.Fatal(why)
	}
}

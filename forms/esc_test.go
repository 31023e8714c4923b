package forms

import (
	"os"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestEscGoesBackAStep: esc returns to the step before, keeping what was
// typed; on the first step it asks, and a second esc discards the draft.
func TestEscGoesBackAStep(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me"})
	d.see("esc back a step")
	d.typeText("my-agent")
	d.press("enter", "enter")
	d.typeText("kept text")
	d.press("enter")
	d.waitFor("Step 2 of 10")
	d.see("esc back a step")
	d.press("enter")
	d.waitFor("Step 3 of 10")
	d.press("esc")
	d.waitFor("Step 2 of 10")
	d.press("esc")
	d.waitFor("Step 1 of 10")
	d.see("> my-agent", "> kept text")

	d.press("esc")
	d.see("Step 1 of 10", "This is the first step: press esc again (or ctrl+c) to discard this agent; any other key goes on.")
	d.press("down") // goes on
	d.notSee("This is the first step")
	if len(d.out) != 0 {
		t.Fatalf("the builder ended: %v", d.out)
	}
	// ctrl+c's warning is not esc's: esc after it does not discard.
	d.press("ctrl+c", "esc")
	if len(d.out) != 0 {
		t.Fatalf("esc after ctrl+c's warning ended the builder: %v", d.out)
	}
	d.press("esc", "esc")
	if _, ok := d.emitted().(CancelMsg); !ok {
		t.Fatalf("emitted %T, want CancelMsg", d.emitted())
	}
}

// TestEscClosesSubEditorsFirst: esc inside an editor, a filter or a picker
// closes it and stays on the step; the next esc goes back.
func TestEscClosesSubEditorsFirst(t *testing.T) {
	srv := newFakeServer(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("hi"), 0o644)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: dir})
	walkToEnv(t, d)

	// Env: the row editor, the import prompt.
	d.press("a")
	d.typeText("FOO")
	d.press("esc")
	d.see("Step 6 of 10", "Environment variables  0/50 keys", "esc back")
	d.press("i", "esc")
	d.see("Step 6 of 10", "Environment variables  0/50 keys")

	// Files: the picker, its typed path, the sandbox path editor.
	d.press("tab")
	d.waitFor("Step 7 of 10")
	d.press("a", "p")
	d.typeText("no")
	d.press("esc")
	d.see("Step 7 of 10", "Choose a file to add")
	d.press("esc")
	d.see("Step 7 of 10", "Sandbox files  0/20 files")
	d.press("a", "enter")
	d.see("Sandbox path for notes.md")
	d.press("esc")
	d.see("Step 7 of 10", "Sandbox files  1/20 files")
	d.press("esc")
	d.waitFor("Step 6 of 10")
	d.press("esc")
	d.waitFor("Step 5 of 10")
	d.press("esc")
	d.waitFor("Step 4 of 10")

	// The prompt step's file picker (huh's): esc closes it first.
	d.press("tab", "enter")
	d.see("notes.md")
	d.press("esc")
	d.see("Step 4 of 10")
	d.press("esc")
	d.waitFor("Step 3 of 10")
	d.press("esc")
	d.waitFor("Step 2 of 10")

	// The harness select's filter.
	// huh's esc sets the filter, then clears it; only then does esc go
	// back, and only then does the help say so.
	d.press("/")
	d.typeText("cod")
	d.notSee("esc back a step")
	d.press("esc")
	d.see("Step 2 of 10", "esc clear filter")
	d.notSee("esc back a step")
	d.press("esc")
	d.see("Step 2 of 10", "esc back a step")
	d.press("esc")
	d.waitFor("Step 1 of 10")
	d.see("> my-agent")
}

// TestEscOnReviewGoesToLastStep: esc on the review's menu shows the last
// step; in a sub-menu it first returns to the menu.
func TestEscOnReviewGoesToLastStep(t *testing.T) {
	srv := newFakeServer(t)
	s := fullSpec()
	d := newDriver(t, Options{Client: srv.client(t), Initial: s})
	for _, st := range append(append([]walkStep(nil), toEnvStep...), toReview...) {
		d.press(st.keys...)
		d.waitFor(st.next)
	}
	d.waitFor("What now? (pgup/pgdown scroll the agent above; esc goes back a step)")
	d.press("down", "enter") // go back to a step…
	d.see("Go back to which step?")
	d.press("esc")
	d.see("What now?")
	d.press("esc")
	d.waitFor("Step 10 of 10")
}

// TestEscStopsAFileRead: esc while a file is read stops it, adds nothing
// and leaves no command blocked.
func TestEscStopsAFileRead(t *testing.T) {
	d := filesDriver(t, nil, nil)
	path := filepath.Join(d.b.opts.StartDir, "large.bin")
	if err := os.WriteFile(path, make([]byte, 8*loadChunk), 0o644); err != nil {
		t.Fatal(err)
	}
	_, cmd := d.b.Update(fileStatMsg{path: path, size: 8 * loadChunk})
	fs := d.b.steps[stepFiles].(*filesStep)
	wait := fs.load.wait()
	_ = cmd // the read is stepped by hand below, as its reports come
	d.see("Reading and encoding", "esc stop reading")
	d.press("esc")
	d.see("Step 7 of 10", "Stopped reading large.bin: it was not added.")
	d.notSee("Reading and encoding")
	done := make(chan tea.Msg, 1)
	go func() { done <- wait() }()
	msg := <-done // returns, though the reader was stopped
	d.send(msg)
	if len(d.b.d.Files) != 0 {
		t.Fatalf("files = %+v", d.b.d.Files)
	}
	d.press("esc")
	d.waitFor("Step 6 of 10")
}

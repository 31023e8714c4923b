package forms

import (
	"testing"
)

// TestDonePageShowsNoStaleFlash: a saved spec's notice, a failed submit's
// error and a server field error are all superseded by the create that
// succeeds after them; the done page shows only what is true now.
func TestDonePageShowsNoStaleFlash(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	d.press("down", "down", "enter", "enter") // save the spec
	d.see("Saved to")
	srv.failNext("POST /api/agents", 500, `{"error":{"type":"internal","message":"disk full"}}`)
	srv.failThen("POST /api/agents", 400, errBody("branch", "no such branch"))
	d.press("enter") // submit: 500
	d.see("✗ Server (500): disk full")
	d.press("enter") // submit again: 400 on the branch
	d.see("Step 8 of 10", "✗ Server: branch: no such branch")
	d.press("enter", "enter") // back to the review, branch kept
	d.waitFor("What now?")
	d.press("enter")
	d.see("✓ Created agent agent_1")
	d.notSee("✗", "Saved to", "disk full", "no such branch")
	if d.b.notice != "" || d.b.alert != "" || len(d.b.stepErr) != 0 {
		t.Fatalf("stale state: notice %q, alert %q, field errors %v", d.b.notice, d.b.alert, d.b.stepErr)
	}
}

// TestPathEditorEscClearsItsNotice: "Check its sandbox path" goes once
// the path editor is left.
func TestPathEditorEscClearsItsNotice(t *testing.T) {
	d := filesDriver(t, nil, map[string][]byte{"notes.md": []byte("hi")})
	d.press("a", "enter")
	d.see("Check its sandbox path")
	d.press("esc")
	d.notSee("Check its sandbox path")
}

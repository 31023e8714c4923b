package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"lapctl/config"
	"lapctl/spec"
	"lapctl/tui/common"
)

// TestAttachDoneStatus drives the root model directly: an attach pauses
// the sessions poll, and its end resumes it with a "detached from" line.
func TestAttachDoneStatus(t *testing.T) {
	_, c := startServer(t)
	fa := &fakeAttach{}
	opts := testOptions(c)
	opts.Attach = fa.attach
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(common.SwitchPageMsg{Page: common.PageSessions})
	sess := &spec.Session{ID: "ses_aaaaaaaaaaaaaaaaaaaa", Agent: "beta", Kind: spec.KindTUI, Status: spec.SessionRunning}
	_, cmd := m.Update(common.AttachMsg{Session: sess})
	if cmd == nil || fa.calls.Load() != 1 || !m.attached {
		t.Fatalf("attach not started: cmd=%v calls=%d", cmd, fa.calls.Load())
	}
	if _, again := m.Update(common.AttachMsg{Session: sess}); again != nil || fa.calls.Load() != 1 {
		t.Fatal("a second attach started while attached")
	}
	m.Update(common.AttachDoneMsg{Session: sess, Detached: true})
	if m.attached || !strings.Contains(m.View().Content, "detached from ses_aaaaaaaaaaaaaaaaaaaa (beta)") {
		t.Fatalf("after detach:\n%s", m.View().Content)
	}
	m.Update(common.AttachDoneMsg{Session: sess, Exited: true, ExitCode: 3})
	if !strings.Contains(m.View().Content, "exited with code 3") {
		t.Fatalf("after exit:\n%s", m.View().Content)
	}
}

func TestReadOnlyRefusesAttach(t *testing.T) {
	_, c := startServer(t)
	fa := &fakeAttach{}
	opts := testOptions(c)
	opts.Attach = fa.attach
	opts.ReadOnly = true
	m := New(opts)
	_, cmd := m.Update(common.AttachMsg{Session: &spec.Session{ID: "ses_x"}})
	if fa.calls.Load() != 0 {
		t.Fatal("read-only console attached")
	}
	msg := cmd()
	if st, ok := msg.(common.StatusMsg); !ok || !strings.Contains(st.Text, "read-only") {
		t.Fatalf("want a read-only refusal, got %#v", msg)
	}
}

func TestUnknownKeyActionReported(t *testing.T) {
	_, c := startServer(t)
	opts := testOptions(c)
	opts.Config = &config.Config{Keys: map[string][]string{"delete": {"ctrl+x"}, "explode": {"!"}}}
	m := New(opts)
	view := m.View().Content
	if !strings.Contains(view, `unknown action "explode"`) {
		t.Fatalf("unknown action not reported:\n%s", view)
	}
	if got := m.common.Keys.Delete.Keys(); len(got) != 1 || got[0] != "ctrl+x" {
		t.Fatalf("delete rebinding not applied: %v", got)
	}
}

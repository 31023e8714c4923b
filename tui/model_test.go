package tui

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
	msg := untag(cmd())
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

// TestConsoleFollowsBackground: the console starts dark and, when the
// terminal reports a light background through the program, draws the
// palette's light colours (the header's brand, the help footer's keys).
func TestConsoleFollowsBackground(t *testing.T) {
	opts := testOptions(nil)
	m := New(opts)
	pal := m.common.Styles.Palette
	lightBrand := lipgloss.Color(pal.Primary.Light)
	if !m.common.Styles.Dark {
		t.Fatal("the console must start dark until the terminal answers")
	}
	if cmd := m.Init(); cmd == nil {
		t.Fatal("Init asks nothing")
	} else if _, ok := cmd().(tea.BackgroundColorMsg); ok {
		t.Fatal("Init answered its own query")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	st := m.common.Styles
	if st.Dark || !sameColor(st.Header.Brand.GetForeground(), lightBrand) {
		t.Fatalf("after a light background: dark=%v brand %v, want %v", st.Dark, st.Header.Brand.GetForeground(), lightBrand)
	}
	if !sameColor(m.help.Styles.ShortKey.GetForeground(), lipgloss.Color(pal.Accent.Light)) {
		t.Error("the help footer kept the dark styles")
	}
}

func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

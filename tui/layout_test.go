package tui

import (
	"strings"
	"testing"

	"lapctl/tui/common"
)

// At every golden size the footer keeps `?` and `q`, the current tab is
// marked without colour, and models keep their distinguishing tail.
func TestLayoutKeepsWhatMatters(t *testing.T) {
	atBothSizes(t, func(t *testing.T, w, h int) {
		c, _ := seeded(t)
		tm := startReady(t, testOptions(c), w, h)
		frame := finalFrame(t, tm)
		lines := strings.Split(strings.TrimRight(frame, "\n"), "\n")
		footer := lines[len(lines)-1]
		for _, want := range []string{"? more keys", "q/ctrl+c quit"} {
			if !strings.Contains(footer, want) {
				t.Errorf("footer %q lacks %q", footer, want)
			}
		}
		if !strings.Contains(lines[1], "[1 Agents]") {
			t.Errorf("tabs %q do not mark the current one", lines[1])
		}
		if strings.Contains(frame, "anthropic/cla…") {
			t.Errorf("model cut at its head:\n%s", frame)
		}
	})
}

func TestTruncateTail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"anthropic/claude-sonnet-4-6", 11, "…sonnet-4-6"},
		{"short", 10, "short"},
		{"abc", 1, "…"},
	} {
		if got := common.TruncateTail(tc.in, tc.w); got != tc.want {
			t.Errorf("TruncateTail(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

// Session ids are never cut: they are what `attach` takes.
func TestSessionIDNeverCut(t *testing.T) {
	c, agents := seeded(t)
	sess := mustSession(t, c, agents[0].ID)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("2")
	waitFor(t, tm, "ready")
	frame := finalFrame(t, tm)
	masked := idPattern.ReplaceAllStringFunc(sess.ID, func(s string) string { return s })
	if !strings.Contains(frame, "ses_"+strings.Repeat("x", len(masked)-len("ses_"))+" ") {
		t.Errorf("session id %s cut:\n%s", sess.ID, frame)
	}
}

package tui

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"lapctl/client"
	"lapctl/tui/common"
	"lapctl/tui/pages/agents"
)

// deadServerErr is a real transport error: a request to a closed port.
func deadServerErr(t *testing.T) error {
	t.Helper()
	_, err := http.Get("http://127.0.0.1:1/health")
	if err == nil {
		t.Skip("something listens on 127.0.0.1:1")
	}
	return err
}

func frameOf(m *Model) string { return ansi.Strip(m.View().Content) }

// A request that got no answer marks the server down at once (not at the
// next health poll); the next answered request marks it up and clears
// the "cannot reach" flash; an API error is an answer, not an outage.
func TestHealthFollowsLastRequest(t *testing.T) {
	t.Parallel()
	c, _ := seeded(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := testOptions(c)
	opts.Now = func() time.Time { return now }
	m := New(opts)
	m.Update(HealthMsg{Seq: m.health.seq})
	if !strings.Contains(frameOf(m), "● ok") {
		t.Fatalf("no ok mark:\n%s", frameOf(m))
	}
	dead := deadServerErr(t)
	m.Update(agents.PageMsg{Gen: -1, Err: dead})
	m.Update(common.ErrorMsg{What: "list agents", Err: dead})
	f := frameOf(m)
	if !strings.Contains(f, "● down") || !strings.Contains(f, "list agents:") {
		t.Fatalf("dead server not shown at once:\n%s", f)
	}
	m.Update(agents.PageMsg{Gen: -1, Page: &client.AgentPage{}})
	f = frameOf(m)
	if !strings.Contains(f, "● ok") || strings.Contains(f, "list agents:") {
		t.Fatalf("good refresh left the outage on screen:\n%s", f)
	}
	if got := m.RefreshedText(); got != "refreshed just now" {
		t.Errorf("RefreshedText = %q", got)
	}
	// A 409 is the server answering: health stays ok, the flash stays.
	conflict := &client.APIError{StatusCode: 409, Message: "name taken"}
	m.Update(agents.PageMsg{Gen: -1, Err: conflict})
	m.Update(common.ErrorMsg{What: "save", Err: conflict})
	m.Update(agents.PageMsg{Gen: -1, Page: &client.AgentPage{}})
	f = frameOf(m)
	if !strings.Contains(f, "● ok") || !strings.Contains(f, "save: name taken") {
		t.Fatalf("an API error was taken for an outage or lost:\n%s", f)
	}
	if unreachable(errors.New("plain")) || !unreachable(dead) {
		t.Error("unreachable misclassifies")
	}
}

// A later flash replaces an earlier one ("nothing saved" does not stay
// once something is saved).
func TestFlashIsReplaced(t *testing.T) {
	t.Parallel()
	c, _ := seeded(t)
	m := New(testOptions(c))
	m.Update(common.StatusMsg{Text: "agent builder closed: nothing saved", Level: common.LevelInfo})
	m.Update(common.StatusMsg{Text: "saved agent alpha", Level: common.LevelSuccess})
	f := frameOf(m)
	if strings.Contains(f, "nothing saved") || !strings.Contains(f, "saved agent alpha") {
		t.Fatalf("stale flash:\n%s", f)
	}
}

// The header's "refreshed" mark names the visible page's last load, ages
// on the console's own tick (no refresh happens here), and is the first
// thing an 80-column header gives up, before the context and platform.
func TestRefreshedMarkAges(t *testing.T) {
	c, _ := seeded(t)
	clock := &testClock{at: time.Now()}
	opts := testOptions(c)
	opts.Now = clock.Now
	tm := startReady(t, opts, 120, 40)
	waitFor(t, tm, "● ok │ refreshed just now │ user tester")
	clock.Advance(12 * time.Second)
	waitFor(t, tm, "refreshed 12s ago")
	clock.Advance(3 * time.Minute)
	waitFor(t, tm, "refreshed 3m ago")
	// The sessions page has its own data: loaded now, not 3 minutes ago.
	press(tm, "2")
	waitFor(t, tm, "[2 Sessions]", "refreshed just now")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	sizes.Store(tm, [2]int{80, 24})
	frame := finalFrame(t, tm)
	header := strings.SplitN(frame, "\n", 2)[0]
	if strings.Contains(header, "refreshed") || !strings.Contains(header, "ctx test") || !strings.Contains(header, "platform lapctl") {
		t.Errorf("80-column header %q: want the refreshed mark dropped and ctx and platform kept", header)
	}
}

func TestAgoText(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0: "just now", 4 * time.Second: "just now", 12 * time.Second: "12s ago",
		90 * time.Second: "1m ago", 2 * time.Hour: "2h ago",
	} {
		if got := agoText(d); got != want {
			t.Errorf("agoText(%v) = %q, want %q", d, got, want)
		}
	}
	if agoStep(10*time.Second) != time.Second || agoStep(90*time.Second) != 30*time.Second {
		t.Error("agoStep: want a second while counting seconds, else the rest of the minute")
	}
}

// No tick is kept while an attached session has the terminal: nothing
// of the console is drawn then.
func TestRefreshedTickPausesWhileAttached(t *testing.T) {
	t.Parallel()
	m := New(testOptions(nil))
	if cmd := m.keepAgeing(); cmd != nil {
		t.Fatal("a tick before any data arrived")
	}
	m.refreshed[common.PageAgents] = m.common.Now()
	m.attached = true
	if cmd := m.keepAgeing(); cmd != nil {
		t.Fatal("a tick while attached")
	}
	m.attached = false
	if cmd := m.keepAgeing(); cmd == nil {
		t.Fatal("no tick once back")
	}
	if cmd := m.keepAgeing(); cmd != nil {
		t.Fatal("a second tick while one is pending")
	}
}

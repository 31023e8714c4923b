package tui

import (
	"bytes"
	"context"
	"image/color"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"lapctl/client"
	"lapctl/internal/testutil"
	"lapctl/spec"
)

// colourFrame quits the program and returns its last frame with its
// styles as a 256-colour terminal receives them (a fixed profile, so the
// goldens do not depend on the machine's terminal), normalised like
// finalFrame.
func colourFrame(t *testing.T, tm *teatest.TestModel, w, h int) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
	content := m.(*recorder).Model.View().Content
	checkFits(t, ansi.Strip(content), w, h)
	var b bytes.Buffer
	pw := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}
	if _, err := io.WriteString(pw, content); err != nil {
		t.Fatal(err)
	}
	// An id right after a style sequence has no word boundary before it
	// (the sequence ends in "m"), so normalize would not mask it.
	styled := styledIDPattern.ReplaceAllStringFunc(b.String(), func(s string) string {
		m := styledIDPattern.FindStringSubmatch(s)
		return m[1] + m[2] + strings.Repeat("x", len(m[3]))
	})
	return normalize(styled)
}

var styledIDPattern = regexp.MustCompile(`(\x1b\[[0-9;:]*m)((?:agent|skill|ses)_)([a-z2-7]{1,20})`)

// waitReady waits until session id has started and reports phase ready.
func waitReady(t *testing.T, c *client.Client, id string) {
	t.Helper()
	ok := testutil.Eventually(10*time.Second, func() bool {
		s, err := c.GetSession(context.Background(), id)
		return err == nil && s.Phase == "ready" && s.Status != spec.SessionStarting
	})
	if !ok {
		t.Fatalf("session %s never got ready", id)
	}
}

// startColour starts the console on a terminal that has said its
// background is dark (black), so the styles are the dark ones whatever
// terminal runs the test.
func startColour(t *testing.T, opts Options, w, h int) *teatest.TestModel {
	t.Helper()
	tm := startTM(t, opts, w, h)
	tm.Send(tea.BackgroundColorMsg{Color: color.Black})
	waitFor(t, tm, "● ok", "gamma")
	return tm
}

// Golden frames with colour at every golden size, for the agents list,
// the sessions list and an agent's detail; in each, the current tab and
// the selected row stand out by style, and with the styles taken away
// (NO_COLOR) by a mark: brackets round the tab, "›" before the row.
func TestColourFrames(t *testing.T) {
	atBothSizes(t, func(t *testing.T, w, h int) {
		t.Run("agents", func(t *testing.T) {
			c, _ := seeded(t)
			frame := colourFrame(t, startColour(t, testOptions(c), w, h), w, h)
			requireGolden(t, frame)
			checkMarks(t, frame, "1 Agents", "alpha", "gamma")
		})
		t.Run("sessions", func(t *testing.T) {
			c, agents := seeded(t)
			// Both sessions settle first (alpha's idle, beta's sh
			// running), so the frame cannot catch one half-started.
			waitReady(t, c, mustSession(t, c, agents[0].ID).ID)
			waitReady(t, c, mustSession(t, c, agents[1].ID).ID)
			tm := startColour(t, testOptions(c), w, h)
			tm.Type("2")
			waitFor(t, tm, "Sessions 2")
			frame := colourFrame(t, tm, w, h)
			requireGolden(t, frame)
			checkMarks(t, frame, "2 Sessions", "beta", "alpha")
		})
		t.Run("detail", func(t *testing.T) {
			c, _ := seeded(t)
			tm := startColour(t, testOptions(c), w, h)
			press(tm, "enter")
			waitFor(t, tm, "Agents › alpha", "GITHUB_TOKEN")
			// The skill's name comes with the fresh copy of the agent:
			// once it shows, the fetch is done (it is off screen at
			// 80x24, hence the scroll).
			tm.Type("G")
			waitFor(t, tm, "reviewer")
			tm.Type("g")
			waitFor(t, tm, "Description")
			frame := colourFrame(t, tm, w, h)
			requireGolden(t, frame)
			checkMarks(t, frame, "1 Agents", "", "")
		})
	})
}

var sgrPattern = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// styleOf is the styling in force where text starts on line (text is
// found in the line without its styles): the SGR sequences since the
// last reset before that cell.
func styleOf(line, text string) string {
	at := strings.Index(ansi.Strip(line), text)
	if at < 0 {
		return ""
	}
	var style []string
	plain := 0
	for i := 0; i < len(line); {
		if loc := sgrPattern.FindStringIndex(line[i:]); loc != nil && loc[0] == 0 {
			seq := line[i : i+loc[1]]
			if seq == "\x1b[m" || seq == "\x1b[0m" {
				style = nil
			} else {
				style = append(style, seq)
			}
			i += loc[1]
			continue
		}
		if plain == at {
			break
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
		plain += size
	}
	return strings.Join(style, "")
}

// checkMarks checks that tab (the current tab's label) and the row
// holding selected are styled unlike an inactive tab and the row holding
// other, and that without styles they keep their marks.
func checkMarks(t *testing.T, frame, tab, selected, other string) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	tabs := lines[1]
	inactive := "3 Skills"
	if active, idle := styleOf(tabs, tab), styleOf(tabs, inactive); active == "" || active == idle {
		t.Errorf("current tab %q styled %q, like the inactive %q (%q)", tab, active, inactive, idle)
	}
	if plain := ansi.Strip(tabs); !strings.Contains(plain, "["+tab+"]") {
		t.Errorf("without colour the current tab is not marked: %q", plain)
	}
	if selected == "" {
		return
	}
	rowOf := func(name string) string {
		for _, l := range lines[3:] {
			if strings.Contains(ansi.Strip(l), " "+name+" ") || strings.Contains(ansi.Strip(l), "›"+name+" ") {
				return l
			}
		}
		t.Fatalf("no row of %s in:\n%s", name, ansi.Strip(frame))
		return ""
	}
	sel, oth := rowOf(selected), rowOf(other)
	if !strings.Contains(sel, "48;5;") || strings.Contains(oth, "48;5;") {
		t.Errorf("the selected row has no background of its own:\nselected %q\nother    %q", sel, oth)
	}
	if !strings.HasPrefix(strings.TrimLeft(ansi.Strip(sel), " "), "›") || strings.Contains(ansi.Strip(oth), "›") {
		t.Errorf("without colour the selected row is not marked: %q / %q", ansi.Strip(sel), ansi.Strip(oth))
	}
}

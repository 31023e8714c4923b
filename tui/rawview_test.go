package tui

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
)

// `y` shows the selected agent's JSON as the server sent it, secrets
// masked; `y` again switches to YAML; esc goes back to the list.
func TestRawView(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	press(tm, "y")
	waitFor(t, tm, "agent agent_", "· JSON (secrets masked)", `"name": "alpha"`, `"GITHUB_TOKEN"`)
	press(tm, "y")
	waitFor(t, tm, "· YAML (secrets masked)", "name: alpha")
	press(tm, "esc")
	waitFor(t, tm, "Agents 3")
	frame := finalFrame(t, tm)
	if strings.Contains(frame, "supersecret") {
		t.Fatalf("raw view leaked a secret:\n%s", frame)
	}
}

// The raw view never shows an env var's value in clear.
func TestRawViewMasksSecrets(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	press(tm, "y")
	waitFor(t, tm, `"GITHUB_TOKEN"`)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
	view := m.(*recorder).Model.View().Content
	if strings.Contains(view, "ghp_supersecretvalue") {
		t.Fatalf("secret in raw view:\n%s", view)
	}
}

// `c` writes the selected id to the program's output as OSC 52 and says
// so; over SSH that output is the operator's terminal.
func TestCopyID(t *testing.T) {
	c, agents := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	var want [][]byte
	for _, a := range agents {
		want = append(want, []byte("\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(a.ID))))
	}
	press(tm, "c")
	waitFor(t, tm, "sent to the clipboard (OSC 52)")
	// Wait for the sequence itself: the program may write it after the
	// frame with the flash, and a quit at once could drop it.
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		for _, w := range want {
			if bytes.Contains(out, w) {
				return true
			}
		}
		return false
	}, teatest.WithDuration(10*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
}

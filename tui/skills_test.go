package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSkillCreate(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("3")
	waitFor(t, tm, "reviewer")
	tm.Type("n")
	waitFor(t, tm, "New skill")
	tm.Type("tester")
	press(tm, "tab")
	tm.Type("Writes tests")
	press(tm, "tab")
	tm.Type("Write a failing test first.")
	waitFor(t, tm, "failing test first")
	press(tm, "ctrl+s")
	// The new row, not the form that still showed the description.
	waitFor(t, tm, "created skill tester", "Skills 2", "27 B")
	requireGolden(t, finalFrame(t, tm))
	skills, err := c.ListSkills(context.Background(), "")
	if err != nil || len(skills) != 2 {
		t.Fatalf("skills = %+v, %v", skills, err)
	}
}

func TestSkillDeleteInUse(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("3")
	waitFor(t, tm, "reviewer")
	tm.Type("d")
	waitFor(t, tm, "Delete skill reviewer?")
	tm.Type("y")
	// The server refuses with 409 naming the agent that uses it.
	waitFor(t, tm, "delete skill reviewer:", "alpha")
}

func TestSkillView(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 80, 24)
	tm.Type("3")
	waitFor(t, tm, "reviewer")
	press(tm, "enter")
	waitFor(t, tm, "Be kind.")
	requireGolden(t, finalFrame(t, tm))
}

// TestSkillEditorRoundTrip: E writes the content to a 0600 temp file,
// runs $EDITOR on it, and saves what the editor left, removing the file.
func TestSkillEditorRoundTrip(t *testing.T) {
	c, _ := seeded(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "editor.sh")
	body := fmt.Sprintf("#!/bin/sh\nstat -c %%a \"$1\" > %s/perm\necho \"$1\" > %s/path\nsed -i 's/kind/brave/' \"$1\"\n", dir, dir)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(c)
	opts.Getenv = func(k string) string {
		if k == "EDITOR" {
			return "sh " + script
		}
		return ""
	}
	tm := startReady(t, opts, 100, 30)
	tm.Type("3")
	waitFor(t, tm, "reviewer")
	tm.Type("E")
	// Nothing drawn after an exec reaches teatest's stream (see
	// TestStartAndAttachPausedAgent), so the server is watched instead.
	var content string
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		skills, err := c.ListSkills(context.Background(), "")
		if err == nil && len(skills) == 1 && skills[0].Content != "Review the diff.\nBe kind." {
			content = skills[0].Content
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if content != "Review the diff.\nBe brave." {
		t.Fatalf("content after the editor = %q", content)
	}
	if perm, _ := os.ReadFile(filepath.Join(dir, "perm")); strings.TrimSpace(string(perm)) != "600" {
		t.Errorf("temp file mode = %q, want 600", perm)
	}
	path, _ := os.ReadFile(filepath.Join(dir, "path"))
	if _, err := os.Stat(strings.TrimSpace(string(path))); !os.IsNotExist(err) {
		t.Errorf("temp file %s left behind (%v)", path, err)
	}
}

func TestSkillEditorUnset(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("3")
	waitFor(t, tm, "reviewer")
	tm.Type("E")
	waitFor(t, tm, "set $EDITOR")
}

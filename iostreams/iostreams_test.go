package iostreams

import "testing"

func TestTestStreamsAreNotTerminals(t *testing.T) {
	ios, _, _, _ := Test()
	if ios.CanPrompt() || ios.IsStdoutTTY() || ios.ColorEnabled() {
		t.Fatal("test streams must not look like a terminal")
	}
	if w := ios.TerminalWidth(); w != 80 {
		t.Fatalf("default width = %d, want 80", w)
	}
}

func TestTerminalRules(t *testing.T) {
	env := map[string]string{"COLUMNS": "132"}
	ios := New(nil, nil, nil, true, nil, func(k string) string { return env[k] })
	if !ios.CanPrompt() || !ios.ColorEnabled() {
		t.Fatal("a terminal can prompt and show colour")
	}
	if w := ios.TerminalWidth(); w != 132 {
		t.Fatalf("width from COLUMNS = %d, want 132", w)
	}
	env["NO_COLOR"] = "1"
	if ios.ColorEnabled() {
		t.Fatal("NO_COLOR must turn colour off")
	}
	ios.SetNeverTTY(true)
	if ios.CanPrompt() {
		t.Fatal("SetNeverTTY must stop prompts")
	}
}

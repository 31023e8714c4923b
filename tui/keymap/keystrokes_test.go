package keymap

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestKeystrokes(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  tea.KeyMsg
		want []string
	}{
		{"a burst is split", runes("jj/"), []string{"j", "j", "/"}},
		{"one rune stays", runes("j"), []string{"j"}},
		{"a paste stays whole", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj"), Paste: true}, []string{"[jj]"}},
		{"alt is kept", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ab"), Alt: true}, []string{"alt+a", "alt+b"}},
		{"not runes", tea.KeyMsg{Type: tea.KeyEnter}, []string{"enter"}},
		{"multi-byte runes", runes("éß"), []string{"é", "ß"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, k := range Keystrokes(tc.msg) {
				got = append(got, k.String())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			}
		})
	}
}

func TestEachKeystrokeKeepsOrder(t *testing.T) {
	var seen string
	EachKeystroke(runes("abc"), func(k tea.KeyMsg) tea.Cmd { seen += k.String(); return nil })
	if seen != "abc" {
		t.Fatalf("keys handled as %q, want in order abc", seen)
	}
}

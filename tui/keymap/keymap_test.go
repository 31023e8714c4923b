package keymap

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func runes(s string) tea.KeyPressMsg {
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

func TestRebind(t *testing.T) {
	k, err := New(map[string][]string{"delete": {"ctrl+x", " D "}})
	if err != nil {
		t.Fatal(err)
	}
	if key.Matches(runes("d"), k.Delete) {
		t.Error("old key still deletes")
	}
	if !key.Matches(runes("D"), k.Delete) || !key.Matches(tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl}, k.Delete) {
		t.Errorf("new keys do not delete: %v", k.Delete.Keys())
	}
	if got := k.Delete.Help(); got.Key != "ctrl+x/D" || got.Desc != "delete" {
		t.Errorf("help = %+v", got)
	}
}

func TestUnknownActionsReported(t *testing.T) {
	k, err := New(map[string][]string{"explode": {"!"}, "quit": {}, "filter": {"f"}})
	if err == nil {
		t.Fatal("want an error naming the bad entries")
	}
	for _, want := range []string{`unknown action "explode"`, `action "quit" has no keys`, "known actions:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !key.Matches(runes("f"), k.Filter) {
		t.Error("the valid rebinding was dropped along with the bad ones")
	}
	if !key.Matches(runes("q"), k.Quit) {
		t.Error("an empty rebinding must keep the default")
	}
}

func TestReadOnly(t *testing.T) {
	k := Default()
	k.SetReadOnly(true)
	if k.Delete.Enabled() || k.New.Enabled() || k.Stop.Enabled() {
		t.Fatal("destructive bindings stay enabled in read-only mode")
	}
	if !k.Filter.Enabled() || !k.Reveal.Enabled() {
		t.Fatal("read-only mode disabled a harmless binding")
	}
	if act, ok := k.Refused(runes("d"), k.Delete, k.Filter); !ok || act != "delete" {
		t.Fatalf("Refused(d) = %q, %v", act, ok)
	}
	if _, ok := k.Refused(runes("/"), k.Delete, k.Filter); ok {
		t.Fatal("a harmless key was refused")
	}
	k.SetReadOnly(false)
	if _, ok := k.Refused(runes("d"), k.Delete); ok {
		t.Fatal("refused outside read-only mode")
	}
}

func TestEveryActionBound(t *testing.T) {
	k := Default()
	for _, a := range actions {
		if b := a.binding(k); len(b.Keys()) == 0 || b.Help().Desc == "" {
			t.Errorf("action %s has no keys or help", a.name)
		}
	}
}

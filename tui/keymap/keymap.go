// Package keymap is the console's one keymap: every key the console
// answers to, with its help text, rebindable from the config file's
// `keys:` section (action name → keys).
package keymap

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap holds one binding per action. Pages pick the bindings they
// answer to; the root handles the global ones.
type KeyMap struct {
	// Global.
	Quit     key.Binding
	Help     key.Binding
	NextPage key.Binding
	PrevPage key.Binding
	Agents   key.Binding
	Sessions key.Binding
	Skills   key.Binding
	Refresh  key.Binding
	Back     key.Binding

	// Lists.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Filter   key.Binding
	Sort     key.Binding
	Reverse  key.Binding
	Open     key.Binding

	// Actions.
	New    key.Binding
	Edit   key.Binding
	Editor key.Binding
	Delete key.Binding
	Pause  key.Binding
	Start  key.Binding
	Attach key.Binding
	Reveal key.Binding
	Send   key.Binding
	Stop   key.Binding
	Submit key.Binding

	// Object views.
	CopyID  key.Binding
	Command key.Binding
	Raw     key.Binding

	// Confirm dialogs.
	Yes key.Binding
	No  key.Binding

	readOnly bool
}

// action describes one rebindable action: its config name, where its
// binding lives, and whether it changes anything on the server (such
// actions are hidden and refused in read-only mode).
type action struct {
	name        string
	binding     func(*KeyMap) *key.Binding
	keys        []string
	desc        string
	destructive bool
}

// actions is the table of every action, in help order. The config's
// `keys:` section uses these names.
var actions = []action{
	{"quit", func(k *KeyMap) *key.Binding { return &k.Quit }, []string{"q", "ctrl+c"}, "quit", false},
	{"help", func(k *KeyMap) *key.Binding { return &k.Help }, []string{"?"}, "more keys", false},
	{"next_page", func(k *KeyMap) *key.Binding { return &k.NextPage }, []string{"tab"}, "next page", false},
	{"prev_page", func(k *KeyMap) *key.Binding { return &k.PrevPage }, []string{"shift+tab"}, "previous page", false},
	{"page_agents", func(k *KeyMap) *key.Binding { return &k.Agents }, []string{"1"}, "agents", false},
	{"page_sessions", func(k *KeyMap) *key.Binding { return &k.Sessions }, []string{"2"}, "sessions", false},
	{"page_skills", func(k *KeyMap) *key.Binding { return &k.Skills }, []string{"3"}, "skills", false},
	{"refresh", func(k *KeyMap) *key.Binding { return &k.Refresh }, []string{"ctrl+r"}, "refresh", false},
	{"back", func(k *KeyMap) *key.Binding { return &k.Back }, []string{"esc"}, "back", false},

	{"up", func(k *KeyMap) *key.Binding { return &k.Up }, []string{"up", "k"}, "up", false},
	{"down", func(k *KeyMap) *key.Binding { return &k.Down }, []string{"down", "j"}, "down", false},
	{"page_up", func(k *KeyMap) *key.Binding { return &k.PageUp }, []string{"pgup", "ctrl+b"}, "page up", false},
	{"page_down", func(k *KeyMap) *key.Binding { return &k.PageDown }, []string{"pgdown", "ctrl+f"}, "page down", false},
	{"top", func(k *KeyMap) *key.Binding { return &k.Top }, []string{"home", "g"}, "top", false},
	{"bottom", func(k *KeyMap) *key.Binding { return &k.Bottom }, []string{"end", "G"}, "bottom", false},
	{"filter", func(k *KeyMap) *key.Binding { return &k.Filter }, []string{"/"}, "filter", false},
	{"sort", func(k *KeyMap) *key.Binding { return &k.Sort }, []string{"o"}, "sort by", false},
	{"reverse", func(k *KeyMap) *key.Binding { return &k.Reverse }, []string{"O"}, "reverse", false},
	{"open", func(k *KeyMap) *key.Binding { return &k.Open }, []string{"enter"}, "open", false},

	{"new", func(k *KeyMap) *key.Binding { return &k.New }, []string{"n"}, "new", true},
	{"edit", func(k *KeyMap) *key.Binding { return &k.Edit }, []string{"e"}, "edit", true},
	{"editor", func(k *KeyMap) *key.Binding { return &k.Editor }, []string{"E"}, "$EDITOR", true},
	{"delete", func(k *KeyMap) *key.Binding { return &k.Delete }, []string{"d"}, "delete", true},
	{"pause", func(k *KeyMap) *key.Binding { return &k.Pause }, []string{"p"}, "pause/resume", true},
	{"start", func(k *KeyMap) *key.Binding { return &k.Start }, []string{"s"}, "start session", true},
	{"attach", func(k *KeyMap) *key.Binding { return &k.Attach }, []string{"a"}, "attach", true},
	{"reveal", func(k *KeyMap) *key.Binding { return &k.Reveal }, []string{"v"}, "reveal env", false},
	{"send", func(k *KeyMap) *key.Binding { return &k.Send }, []string{"m"}, "message", true},
	{"stop", func(k *KeyMap) *key.Binding { return &k.Stop }, []string{"x"}, "stop", true},
	{"submit", func(k *KeyMap) *key.Binding { return &k.Submit }, []string{"ctrl+s"}, "send/save", false},

	{"copy_id", func(k *KeyMap) *key.Binding { return &k.CopyID }, []string{"c"}, "copy id", false},
	{"command", func(k *KeyMap) *key.Binding { return &k.Command }, []string{":"}, "command bar", false},
	{"raw", func(k *KeyMap) *key.Binding { return &k.Raw }, []string{"y"}, "raw json/yaml", false},

	{"yes", func(k *KeyMap) *key.Binding { return &k.Yes }, []string{"y"}, "yes", false},
	{"no", func(k *KeyMap) *key.Binding { return &k.No }, []string{"n", "esc"}, "no", false},
}

// Actions lists every action name the config's `keys:` section accepts.
func Actions() []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a.name
	}
	return out
}

// Default returns the built-in bindings.
func Default() *KeyMap {
	k := &KeyMap{}
	for _, a := range actions {
		*a.binding(k) = key.NewBinding(key.WithKeys(a.keys...), key.WithHelp(helpKeys(a.keys), a.desc))
	}
	return k
}

// New returns the default keymap with the config's rebindings applied.
// Unknown action names and empty key lists are reported in the error,
// and the rest still applies, so one typo does not cost the operator
// every other binding.
func New(rebind map[string][]string) (*KeyMap, error) {
	k := Default()
	byName := map[string]action{}
	for _, a := range actions {
		byName[a.name] = a
	}
	names := make([]string, 0, len(rebind))
	for n := range rebind {
		names = append(names, n)
	}
	sort.Strings(names)
	var problems []string
	for _, n := range names {
		a, ok := byName[n]
		if !ok {
			problems = append(problems, fmt.Sprintf("unknown action %q", n))
			continue
		}
		keys := cleanKeys(rebind[n])
		if len(keys) == 0 {
			problems = append(problems, fmt.Sprintf("action %q has no keys", n))
			continue
		}
		b := a.binding(k)
		b.SetKeys(keys...)
		b.SetHelp(helpKeys(keys), a.desc)
	}
	if len(problems) > 0 {
		return k, fmt.Errorf("config keys: %s (known actions: %s)", strings.Join(problems, "; "), strings.Join(Actions(), ", "))
	}
	return k, nil
}

func cleanKeys(keys []string) []string {
	out := keys[:0:0]
	for _, s := range keys {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// helpKeys is the key column of the help: the keys joined, with the
// arrow names shortened the way bubbles' own help shows them.
func helpKeys(keys []string) string {
	short := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgup": "pgup", "pgdown": "pgdn"}
	out := make([]string, len(keys))
	for i, s := range keys {
		if v, ok := short[s]; ok {
			s = v
		}
		out[i] = s
	}
	return strings.Join(out, "/")
}

// SetReadOnly disables every destructive binding, which hides it from
// help; Refused still recognises its keys so a press can be answered.
func (k *KeyMap) SetReadOnly(v bool) {
	k.readOnly = v
	for _, a := range actions {
		if a.destructive {
			a.binding(k).SetEnabled(!v)
		}
	}
}

// ReadOnly reports whether destructive actions are disabled.
func (k *KeyMap) ReadOnly() bool { return k.readOnly }

// Refused reports whether msg presses one of the given bindings while it
// is disabled by read-only mode, and that binding's help description.
// key.Matches ignores disabled bindings, hence the direct key compare.
func (k *KeyMap) Refused(msg tea.KeyPressMsg, bindings ...key.Binding) (string, bool) {
	if !k.readOnly {
		return "", false
	}
	s := msg.String()
	for _, b := range bindings {
		if b.Enabled() {
			continue
		}
		for _, bk := range b.Keys() {
			if bk == s {
				return b.Help().Desc, true
			}
		}
	}
	return "", false
}

package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"lapctl/tui/common"
)

// barCommands are what the `:` bar runs, k9s style.
var barCommands = map[string]string{
	"agents":   "go to agents",
	"ctx":      "switch context",
	"sessions": "go to sessions",
	"skills":   "go to skills",
	"q":        "quit",
	"quit":     "quit",
}

var (
	barRunKey      = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run"))
	barCompleteKey = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete"))
	barCancelKey   = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
)

// cmdBar is the `:` command bar drawn in place of the status line;
// contexts are the names `:ctx` completes.
type cmdBar struct {
	in       textinput.Model
	contexts []string
}

func newCmdBar(contexts []string) *cmdBar {
	in := textinput.New()
	in.Prompt = ":"
	in.Focus()
	return &cmdBar{in: in, contexts: contexts}
}

// matches is what the input can complete to: a command, or after
// "ctx " a context name (head is what precedes the word completed).
func (b *cmdBar) matches() (head string, list []string, args bool) {
	v := strings.TrimLeft(b.in.Value(), " ")
	if rest, ok := strings.CutPrefix(v, "ctx "); ok {
		word := strings.TrimSpace(rest)
		var out []string
		for _, n := range b.contexts {
			if strings.HasPrefix(n, word) {
				out = append(out, n)
			}
		}
		return "ctx ", out, true
	}
	return "", completions(strings.TrimSpace(v)), false
}

// completions lists the commands starting with prefix, sorted.
func completions(prefix string) []string {
	var out []string
	for c := range barCommands {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// complete extends the input to the longest prefix its matches share;
// a command that takes an argument gets its space.
func (b *cmdBar) complete() {
	head, matches, _ := b.matches()
	if len(matches) == 0 {
		return
	}
	shared := matches[0]
	for _, m := range matches[1:] {
		for !strings.HasPrefix(m, shared) {
			shared = shared[:len(shared)-1]
		}
	}
	if head == "" && shared == "ctx" && len(matches) == 1 {
		shared += " "
	}
	b.in.SetValue(head + shared)
	b.in.CursorEnd()
}

// view is the input, then the matching commands while more than one
// matches, or the matching contexts after "ctx " (the input gives up its
// padding to them).
func (b *cmdBar) view(width int) string {
	hint := ""
	if _, m, args := b.matches(); (len(m) > 1 && b.in.Value() != "") || (args && len(m) > 0) {
		hint = "  " + strings.Join(m, " ")
	}
	b.in.SetWidth(max(width-len(hint)-2, 10))
	return b.in.View() + hint
}

func (b *cmdBar) keys() []key.Binding { return []key.Binding{barRunKey, barCompleteKey, barCancelKey} }

// onBarKey handles a key while the bar is open.
func (m *Model) onBarKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, barCancelKey):
		m.bar = nil
		return nil
	case key.Matches(msg, barCompleteKey):
		m.bar.complete()
		return nil
	case key.Matches(msg, barRunKey):
		line := strings.TrimSpace(m.bar.in.Value())
		m.bar = nil
		return m.runCommand(line)
	}
	var cmd tea.Cmd
	m.bar.in, cmd = m.bar.in.Update(msg)
	return cmd
}

// runCommand runs one bar command; an unknown one says which exist.
func (m *Model) runCommand(line string) tea.Cmd {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	switch fields[0] {
	case "agents":
		return m.switchTo(common.PageAgents)
	case "sessions":
		return m.switchTo(common.PageSessions)
	case "skills":
		return m.switchTo(common.PageSkills)
	case "ctx":
		return m.ctxCommand(fields[1:])
	case "q", "quit":
		return tea.Quit
	}
	known := completions("")
	m.setStatus(common.StatusMsg{Text: fmt.Sprintf("unknown command :%s (commands: %s)", fields[0], strings.Join(known, ", ")), Level: common.LevelError}, nil)
	return nil
}

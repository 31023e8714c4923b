package forms

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// checked is a field whose value a spec rule checks as it is typed.
type checked struct {
	field huh.Field
	value *string
	check func(string) error
}

// formStep is a step made of one huh form, rebuilt from the draft on
// each visit. It adds what huh lacks for the builder: shift+tab on the
// first field and esc go to the previous step (esc first closes what a
// field has open: a filter, a file picker), spec rules are shown under the
// form as the value is typed, and a step can show extra lines (previews,
// totals) or wait for server data before building its form.
type formStep struct {
	b  *Builder
	id stepID
	// build makes the form; it registers checked fields with fs.check.
	build func(fs *formStep) *huh.Form
	// waiting, when it returns text, shows that (with the spinner)
	// instead of the form: the step's data has not arrived yet.
	waiting func() string
	// static, when it returns text, shows that instead of a form: the step
	// has nothing to ask (no skills to choose); enter goes on.
	static func() string
	// extra renders lines under the form.
	extra func() string
	// done runs when the form completes; nil means go forward.
	done func() (stepMove, tea.Cmd)

	form   *huh.Form
	first  huh.Field
	checks []checked
	tried  map[*string]bool
}

func (fs *formStep) busy() bool { return fs.waiting != nil && fs.waiting() != "" }

// check registers a field whose value is checked as typed; the returned
// field is the same one, for chaining into a group.
func (fs *formStep) check(f huh.Field, v *string, rule func(string) error) huh.Field {
	fs.checks = append(fs.checks, checked{field: f, value: v, check: rule})
	return f
}

func (fs *formStep) enter() tea.Cmd {
	fs.form, fs.first = nil, nil
	fs.checks, fs.tried = nil, map[*string]bool{}
	if fs.busy() || (fs.static != nil && fs.static() != "") {
		return nil
	}
	fs.form = fs.build(fs).
		WithTheme(fs.b.theme).
		WithKeyMap(fs.b.keys).
		WithShowErrors(false).
		WithShowHelp(false). // helpLine, which adds esc

		WithWidth(fs.b.width)
	fs.first = fs.form.GetFocusedField()
	return fs.form.Init()
}

func (fs *formStep) update(msg tea.Msg) (stepMove, tea.Cmd) {
	if fs.form == nil {
		if k, ok := msg.(tea.KeyPressMsg); ok && !fs.busy() {
			switch k.String() {
			case "enter", "tab":
				return forward, nil
			case "shift+tab", "esc":
				return backward, nil
			}
		}
		return stay, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		focused := fs.form.GetFocusedField()
		switch k.String() {
		case "esc":
			if !fieldTakesEsc(focused) {
				return backward, nil
			}
		case "shift+tab":
			if focused == fs.first {
				return backward, nil
			}
		case "enter", "tab":
			for _, c := range fs.checks {
				if c.field == focused {
					fs.tried[c.value] = true
				}
			}
		}
	}
	m, cmd := fs.form.Update(msg)
	fs.form = m.(*huh.Form)
	if fs.form.State == huh.StateCompleted {
		if fs.done != nil {
			return fs.done()
		}
		return forward, cmd
	}
	fs.refit()
	return stay, cmd
}

// fieldTakesEsc reports a field with something open that esc closes (a
// select's filter, a file picker browsing): huh enables an esc binding
// for it only then.
func fieldTakesEsc(f huh.Field) bool {
	for _, b := range f.KeyBinds() {
		if b.Enabled() && key.Matches(tea.KeyPressMsg{Code: tea.KeyEscape}, b) {
			return true
		}
	}
	return false
}

// escBack is the help entry for esc on a step.
var escBack = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back a step"))

// helpLine is huh's help for the focused field, and esc when it goes
// back, in the list steps' key line (which wraps between entries).
func (fs *formStep) helpLine() string {
	focused := fs.form.GetFocusedField()
	binds := focused.KeyBinds()
	if !fieldTakesEsc(focused) {
		binds = append(binds, escBack)
	}
	var pairs []string
	for _, kb := range binds {
		if h := kb.Help(); kb.Enabled() && (h.Key != "" || h.Desc != "") {
			pairs = append(pairs, h.Key, h.Desc)
		}
	}
	return fs.b.keyHelp(pairs...)
}

// problems are the rule messages of the step's checked fields, in form
// order: for a value typed, or for a blank one the operator tried to leave.
func (fs *formStep) problems() []string {
	var out []string
	for _, c := range fs.checks {
		if err := c.check(*c.value); err != nil && (strings.TrimSpace(*c.value) != "" || fs.tried[c.value]) {
			out = append(out, err.Error())
		}
	}
	return out
}

// below is everything rendered under the form.
func (fs *formStep) below() string {
	var lines []string
	for _, p := range fs.problems() {
		lines = append(lines, fs.b.st.Error.Render(wrapText("✗ "+p, fs.b.width)))
	}
	if fs.extra != nil {
		if e := fs.extra(); e != "" {
			lines = append(lines, e)
		}
	}
	return strings.Join(lines, "\n")
}

func (fs *formStep) refit() {
	if fs.form == nil {
		return
	}
	avail := fs.b.bodyHeight() - lipgloss.Height(fs.b.stepAlert(fs.id)) - 1 - lipgloss.Height(fs.helpLine())
	if below := fs.below(); below != "" {
		avail -= lipgloss.Height(below) + 1
	}
	fs.form.WithWidth(fs.b.width)
	// huh v2 sizes a select's option list only in Update, and measures
	// the form for a window size from its fields' views: one pass first
	// lays the options out, so the size counts them.
	m, _ := fs.form.Update(layoutMsg{})
	m, _ = m.(*huh.Form).Update(tea.WindowSizeMsg{Width: fs.b.width, Height: max(avail, 5)})
	fs.form = m.(*huh.Form)
}

// layoutMsg is a message no field acts on; its Update pass lays fields out.
type layoutMsg struct{}

func (fs *formStep) view() string {
	var parts []string
	if a := fs.b.stepAlert(fs.id); a != "" {
		parts = append(parts, a)
	}
	switch {
	case fs.busy():
		parts = append(parts, fs.b.spin.View()+" "+fs.waiting())
	case fs.form == nil && fs.static != nil:
		parts = append(parts, fs.static())
	case fs.form != nil:
		parts = append(parts, fs.form.View())
		if below := fs.below(); below != "" {
			parts = append(parts, below)
		}
		parts = append(parts, "", fs.helpLine())
	}
	return strings.Join(parts, "\n")
}

// stepAlert is the server's (or the whole-agent check's) message about a
// field of step id, shown at the top of the step until it is completed.
func (b *Builder) stepAlert(id stepID) string {
	fe, ok := b.stepErr[id]
	if !ok {
		return ""
	}
	msg := fe.Message
	if fe.Field != "" {
		msg = fe.Field + ": " + msg
	}
	return b.st.Error.Render(wrapText("✗ "+fe.Source+msg, b.width))
}

// wrapText wraps s to width cells, keeping words whole where it can.
func wrapText(s string, width int) string {
	return ansi.Wrap(s, max(width, 10), "")
}

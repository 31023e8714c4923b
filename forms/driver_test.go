package forms

import (
	"lapctl/internal/framerec"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// driver runs a Builder the way huh's own tests run a form: Update with
// key messages, then assertions on ansi.Strip(View()). It runs every
// command to completion before the next key, in order, as a user slower
// than the machine would see them; timer commands (cursor blink, spinner
// frames) are skipped, recognised by their function, so views are stable
// and no test waits on a clock.
type driver struct {
	t   *testing.T
	b   *Builder
	out []tea.Msg // DoneMsg and CancelMsg the builder emitted
}

func newDriver(t *testing.T, opts Options) *driver {
	t.Helper()
	if opts.StartDir == "" {
		opts.StartDir = t.TempDir()
	}
	d := &driver{t: t, b: NewBuilder(opts)}
	t.Cleanup(d.b.cancel)
	d.run(d.b.Init())
	return d
}

// timerCmd reports commands that only wait for a clock.
func timerCmd(c tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
	return strings.HasPrefix(name, "charm.land/bubbles/v2/cursor.") ||
		strings.HasPrefix(name, "charm.land/bubbletea/v2.Tick.") ||
		strings.HasPrefix(name, "charm.land/bubbletea/v2.Every.")
}

// cmdTimeout is how long a command may run (a server call, a file read)
// before the test calls it stuck.
const cmdTimeout = 20 * time.Second

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil || timerCmd(c) {
			continue
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		select {
		case msg := <-ch:
			queue = append(queue, d.deliver(msg)...)
		case <-time.After(cmdTimeout):
			d.t.Fatalf("a command (%s) did not finish in %s; view:\n%s",
				runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name(), cmdTimeout, d.view())
		}
	}
}

// deliver hands msg to the builder and returns the commands to run next.
func (d *driver) deliver(msg tea.Msg) []tea.Cmd {
	switch m := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		return m
	case DoneMsg, CancelMsg:
		d.out = append(d.out, m)
		return nil
	}
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		cmds := make([]tea.Cmd, v.Len()) // tea.Sequence's message
		for i := range cmds {
			cmds[i] = v.Index(i).Interface().(tea.Cmd)
		}
		return cmds
	}
	_, cmd := d.b.Update(msg)
	return []tea.Cmd{cmd}
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	_, cmd := d.b.Update(msg)
	d.run(cmd)
}

// press sends named keys: "enter", "tab", "shift+tab", "esc", "up",
// "down", "space", "ctrl+c", "ctrl+r", "backspace", "pgdown".
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg { return framerec.Key(k) }

// typeText types s one rune at a time.
func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(keyMsg(string(r)))
	}
}

// clear empties the focused text input: end, then ctrl+u deletes to the
// start.
func (d *driver) clear() { d.press("end", "ctrl+u") }

func (d *driver) view() string { return ansi.Strip(d.b.View()) }

// waitFor checks the view shows want, and returns it. Commands have all
// run by now, so there is nothing to wait for; the name reads well.
func (d *driver) waitFor(want string) string {
	d.t.Helper()
	v := d.view()
	if !shows(v, want) {
		d.t.Fatalf("view does not show %q:\n%s", want, v)
	}
	return v
}

// flat is a view as one line of words: wrapped messages read whole, and
// huh's focus border is dropped.
func flat(v string) string {
	words := strings.Fields(v)
	out := words[:0]
	for _, w := range words {
		if w != "┃" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// shows reports whether view shows want, wrapped or not (a wrap may also
// break a word after a hyphen).
func shows(view, want string) bool {
	f := flat(view)
	return strings.Contains(view, want) || strings.Contains(f, flat(want)) ||
		strings.Contains(strings.ReplaceAll(f, "- ", "-"), flat(want))
}

// see fails unless the view shows every string now (wrapping aside).
func (d *driver) see(want ...string) {
	d.t.Helper()
	v := d.view()
	for _, w := range want {
		if !shows(v, w) {
			d.t.Fatalf("view lacks %q:\n%s", w, v)
		}
	}
}

// notSee fails if the view shows any of the strings.
func (d *driver) notSee(bad ...string) {
	d.t.Helper()
	v := d.view()
	for _, w := range bad {
		if shows(v, w) {
			d.t.Fatalf("view shows %q:\n%s", w, v)
		}
	}
}

// emitted returns what the builder emitted (DoneMsg or CancelMsg).
func (d *driver) emitted() tea.Msg {
	d.t.Helper()
	if len(d.out) == 0 {
		d.t.Fatalf("the builder emitted nothing; view:\n%s", d.view())
	}
	return d.out[0]
}

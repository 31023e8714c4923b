package tui

import (
	"reflect"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
)

// A generation is one client's set of pages. `:ctx` replaces the pages
// for a new client; what the old ones still have in flight (a page of
// agents, a poll, a spinner's tick) must not reach the new ones, whose
// own sequence numbers start again. So every command the root hands the
// program carries the generation it was made in, and Update drops what
// an older one sends.

// genMsg is a message from a command of generation gen.
type genMsg struct {
	gen int64
	msg tea.Msg
}

var (
	cmdType     = reflect.TypeFor[tea.Cmd]()
	teaPkgPath  = reflect.TypeFor[tea.QuitMsg]().PkgPath()
	nilCmdValue = reflect.Zero(cmdType)
)

// tagCmd makes cmd's message carry gen; current is the generation now
// in use, read when the command finishes.
func tagCmd(gen int64, current *atomic.Int64, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil || current.Load() != gen {
			return nil
		}
		return tagMsg(gen, current, msg)
	}
}

// tagMsg wraps msg. A batch or sequence (both a slice of commands, the
// sequence's type unexported) is rebuilt with each command tagged, so
// the program still runs it; the program's own messages (exec, quit,
// window size requests) go through untouched, since the program acts on
// them before any model sees them.
func tagMsg(gen int64, current *atomic.Int64, msg tea.Msg) tea.Msg {
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c, _ := v.Index(i).Interface().(tea.Cmd)
			if t := tagCmd(gen, current, c); t != nil {
				out.Index(i).Set(reflect.ValueOf(t))
			} else {
				out.Index(i).Set(nilCmdValue)
			}
		}
		return out.Interface()
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == teaPkgPath {
		return msg
	}
	return genMsg{gen: gen, msg: msg}
}

// tag makes cmd one of the current generation's.
func (m *Model) tag(cmd tea.Cmd) tea.Cmd {
	return tagCmd(m.gen.Load(), &m.gen, cmd)
}

package ptyattach

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// consoleModel stands in for the console: it attaches at start and, once
// back, records the first key it gets and quits.
type consoleModel struct {
	cmd     *ExecCommand
	back    bool
	execErr error
	key     string
}

type attachDoneMsg struct{ err error }

func (m *consoleModel) Init() tea.Cmd {
	return tea.Exec(m.cmd, func(err error) tea.Msg { return attachDoneMsg{err} })
}

func (m *consoleModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case attachDoneMsg:
		m.back, m.execErr = true, msg.err
	case tea.KeyMsg:
		if m.back {
			m.key = msg.String()
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *consoleModel) View() string {
	if m.back {
		return "console is back"
	}
	return "console"
}

func TestExecCommandInBubbleTea(t *testing.T) {
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	cmd := NewExecCommand(Options{URL: f.url(), Token: "tok", SessionID: "ses_fake", ErrOut: lt.tty})
	m := &consoleModel{cmd: cmd}
	p := tea.NewProgram(m, tea.WithInput(lt.tty), tea.WithOutput(lt.tty))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()

	at := lt.screen.waitFor(t, 0, "attached to ses_fake", wait)
	lt.typeText(t, "in-exec")
	at = lt.screen.waitFor(t, at, "in-exec", wait)
	lt.typeText(t, "\x1d\x1d\x1dq") // one ctrl-] through, then detach
	lt.screen.waitFor(t, at, "console is back", wait)
	f.waitInput(t, "in-exec\x1d")

	// The console's next keystroke reaches the console.
	lt.typeText(t, "z")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("program: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("the console never got its keystroke back")
	}
	if m.key != "z" || m.execErr != nil {
		t.Errorf("console got key %q, exec error %v; want \"z\", nil", m.key, m.execErr)
	}
	if res, err := cmd.Result(); err != nil || !res.Detached {
		t.Errorf("Result() = %+v, %v; want detached", res, err)
	}
	lt.checkRestored(t)
}

// A panic on an attach goroutine still restores the terminal: a child
// test process attaches on the pty with an output that panics.
func TestPanicRestoresTerminal(t *testing.T) {
	if os.Getenv("PTYATTACH_PANIC_URL") != "" {
		Attach(context.Background(), Options{
			URL: os.Getenv("PTYATTACH_PANIC_URL"), Token: "tok",
			In: os.Stdin, Out: panicWriter{}, ErrOut: os.Stderr,
		})
		return
	}
	f := newFakePTY(t, "tok")
	lt := newLocalTerm(t)
	var stderr bytes.Buffer
	child := exec.Command(os.Args[0], "-test.run=^TestPanicRestoresTerminal$")
	child.Env = append(os.Environ(), "PTYATTACH_PANIC_URL="+f.url())
	child.Stdin, child.Stderr = lt.tty, &stderr
	err := child.Run()
	if err == nil || !strings.Contains(stderr.String(), "panic: output exploded") {
		t.Fatalf("child: %v; stderr:\n%s", err, stderr.String())
	}
	lt.checkRestored(t)
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("output exploded") }

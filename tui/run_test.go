package tui

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"lapctl/internal/testutil"
	"lapctl/iostreams"
)

// TestRunEndsWithContext: when Run's context ends (the local server
// stopping, an SSH hang-up) the console quits through the program, so it
// returns without error and gives the terminal back: the alternate screen
// is left and the cursor shown again.
func TestRunEndsWithContext(t *testing.T) {
	_, c := startServer(t)
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	_ = pty.Setsize(master, &pty.Winsize{Cols: 100, Rows: 30})
	screen := &testutil.SyncBuffer{}
	go func() { _, _ = io.Copy(screen, master) }()
	env := map[string]string{"TERM": "xterm-256color"}
	ios := iostreams.New(slave, slave, io.Discard, true, func() int { return 100 }, func(k string) string { return env[k] })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, testOptions(c), ios) }()
	testutil.WaitFor(t, "● ok", screen.String)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v after its context ended, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	// What the program wrote last may still be on its way through the pty.
	testutil.Eventually(5*time.Second, func() bool { return strings.Contains(screen.String(), "\x1b[?1049l") })
	out := screen.String()
	enter := strings.LastIndex(out, "\x1b[?1049h")
	leave := strings.LastIndex(out, "\x1b[?1049l")
	if enter < 0 || leave < enter {
		t.Errorf("the alternate screen was not left (enter at %d, leave at %d)", enter, leave)
	}
	if show := strings.LastIndex(out, "\x1b[?25h"); show < enter {
		t.Errorf("the cursor was not shown again")
	}
}

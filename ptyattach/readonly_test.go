package ptyattach

import (
	"context"
	"strings"
	"testing"

	"lapctl/internal/apitest"
)

// TestE2EReadOnlyWatches: a read-only attach shows what another client
// types, sends none of its own keys, and still detaches on the detach key.
func TestE2EReadOnlyWatches(t *testing.T) {
	inst := shellServer(t)
	c := apitest.NewClient(t, inst.URL, inst.Key)
	sess := startShellSession(t, c)
	ctx := context.Background()

	typer := newLocalTerm(t)
	typerRun := startAttach(t, ctx, Options{Client: c, SessionID: sess.ID, In: typer.tty, Out: typer.tty, ErrOut: typer.tty})
	at := typer.screen.waitFor(t, 0, "attached to "+sess.ID, wait)

	watcher := newLocalTerm(t)
	watchRun := startAttach(t, ctx, Options{Client: c, SessionID: sess.ID, ReadOnly: true, In: watcher.tty, Out: watcher.tty, ErrOut: watcher.tty})
	wat := watcher.screen.waitFor(t, 0, "attached to "+sess.ID, wait)

	watcher.typeText(t, "echo watcher-$((1+1))\r")
	typer.typeText(t, "echo typer-$((2+2))\r")
	watcher.screen.waitFor(t, wat, "typer-4", wait)
	at = typer.screen.waitFor(t, at, "typer-4", wait)
	// The typer's line went out after the watcher's keys: had they been
	// sent, the shell would have echoed them first.
	if s := typer.screen.String(); strings.Contains(s, "watcher") {
		t.Fatalf("the read-only client's keys reached the session:\n%s", s)
	}

	watcher.typeText(t, "\x1d")
	res, err := watchRun.wait(t, wait)
	if err != nil || !res.Detached {
		t.Fatalf("read-only attach = %+v, %v; want detached", res, err)
	}
	watcher.checkRestored(t)
	typer.typeText(t, "\x1d")
	if res, err := typerRun.wait(t, wait); err != nil || !res.Detached {
		t.Fatalf("typer = %+v, %v", res, err)
	}
	_ = at
}

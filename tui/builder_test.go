package tui

import (
	"testing"
)

// TestBuilderOpensAndCancels embeds the agent builder: n opens it, ctrl+c
// stays inside it (a first press only warns), a second discards the draft
// and the console is back on the list.
func TestBuilderOpensAndCancels(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("n")
	waitFor(t, tm, "Step 1 of 10")
	tm.Type("draft")
	press(tm, "ctrl+c")
	waitFor(t, tm, "Press ctrl+c again")
	press(tm, "ctrl+c")
	waitFor(t, tm, "agent builder closed", "gamma")
}

// TestBuilderEditsSelectedAgent: e opens the builder on the agent under
// the cursor, fetched afresh.
func TestBuilderEditsSelectedAgent(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	press(tm, "down")
	tm.Type("e")
	waitFor(t, tm, "Step 1 of 10", "beta")
}

func TestBuilderRefusedReadOnly(t *testing.T) {
	c, _ := seeded(t)
	opts := testOptions(c)
	opts.Config = nil
	opts.ReadOnly = true
	tm := startReady(t, opts, 100, 30)
	tm.Type("n")
	waitFor(t, tm, "read-only mode: new is disabled")
}

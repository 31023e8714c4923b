package tui

import (
	"strings"
	"testing"
	"time"
)

// TestBuilderOpensWithoutStaleFlash: "agent builder closed: nothing saved"
// from a discarded draft does not stay under the next builder, where it
// would sit under that one's "✓ Created".
func TestBuilderOpensWithoutStaleFlash(t *testing.T) {
	c, _ := seeded(t)
	tm := startReady(t, testOptions(c), 100, 30)
	tm.Type("n")
	waitFor(t, tm, "Step 1 of 10")
	press(tm, "ctrl+c")
	press(tm, "ctrl+c")
	waitFor(t, tm, "agent builder closed: nothing saved")
	tm.Type("n")
	waitFor(t, tm, "Step 1 of 10")
	// The clearing status is a command run beside the builder's Init, so
	// it may land just after the first frame; quitting at once would race it.
	time.Sleep(300 * time.Millisecond)
	if frame := finalFrame(t, tm); strings.Contains(frame, "nothing saved") {
		t.Fatalf("the flash outlived the builder it was about:\n%s", frame)
	}
}

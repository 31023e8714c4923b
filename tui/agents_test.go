package tui

import (
	"testing"
)

func TestAgentsPage(t *testing.T) {
	atBothSizes(t, func(t *testing.T, w, h int) {
		c, _ := seeded(t)
		tm := startReady(t, testOptions(c), w, h)
		requireGolden(t, finalFrame(t, tm))
	})
}

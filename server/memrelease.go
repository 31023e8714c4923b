package server

import (
	"runtime/debug"
	"sync"
	"time"
)

// keptClientBuffer is the most output buffer an attached client keeps
// between bursts; a bigger one is let go once sent.
const keptClientBuffer = 256 << 10

// After a burst the Go heap holds freed buffers that the runtime returns
// to the OS only slowly; returning it once the burst is over keeps a 50 MB
// cat to ten clients from leaving the server's RSS at its peak.
const (
	releaseAfter = 1 << 20
	releaseEvery = 2 * time.Second
)

var release struct {
	mu        sync.Mutex
	pending   int
	scheduled bool
}

// noteReleased records n bytes of buffer let go; once releaseAfter have
// piled up, memory goes back to the OS releaseEvery later (by then the
// burst's other buffers are let go too), once for the whole burst.
func noteReleased(n int) {
	release.mu.Lock()
	defer release.mu.Unlock()
	release.pending += n
	if release.scheduled || release.pending < releaseAfter {
		return
	}
	release.scheduled = true
	time.AfterFunc(releaseEvery, func() {
		release.mu.Lock()
		release.pending, release.scheduled = 0, false
		release.mu.Unlock()
		debug.FreeOSMemory()
	})
}

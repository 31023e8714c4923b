package server

import (
	"slices"
	"time"
)

// A group commit is cheap per create only when the group is large: its
// WAL frames and FTS segment cost about the same for one create as for
// four. But requests from concurrent clients arrive a fraction of a
// millisecond apart, so a committer that takes the queue the moment the
// writer is free mostly commits groups of one or two, and the creates
// queue behind each other's commits. At 100k agents with 4 clients,
// waiting up to gatherFor for the group to fill brought groups from ~1.5
// to ~3.9 creates and the median round's create p99 from ~6.2 ms to
// ~5.4 ms, the p50 unchanged (docs/server.md).
//
// The committer waits only as long as concurrency is evident: until as
// many creates are queued as the largest group among the last few, so a
// lone client (every group of one) never waits at all.

// gatherFor bounds the wait for a group to fill: about one commit's
// duration, so a create never waits longer for company than it would
// behind one more commit.
const gatherFor = 300 * time.Microsecond

// groupSizes remembers the sizes of the last few groups committed.
type groupSizes struct {
	sizes [8]int
	next  int
}

func (g *groupSizes) record(n int) {
	g.sizes[g.next] = n
	g.next = (g.next + 1) % len(g.sizes)
}

// peak is the largest of the recent groups: the creates one can expect
// to be on their way.
func (g *groupSizes) peak() int {
	return slices.Max(g.sizes[:])
}

// gather waits, up to q.gatherFor, until as many creates are queued as the
// recent peak group (bounded by maxGroup). It returns at once when the
// recent groups were single creates, or when the committer is stopping.
func (q *createQueue) gather() {
	target := min(q.recent.peak(), maxGroup)
	if target <= 1 {
		return
	}
	timer := time.NewTimer(q.gatherFor)
	defer timer.Stop()
	for q.queued() < target {
		select {
		case <-q.wake: // another create came in: count again
		case <-timer.C:
			return
		case <-q.quit:
			return
		}
	}
}

func (q *createQueue) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

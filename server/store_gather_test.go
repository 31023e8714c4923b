package server

import (
	"testing"
	"time"
)

func TestGroupSizesPeakIsTheLargestOfTheLastEight(t *testing.T) {
	var g groupSizes
	if got := g.peak(); got != 0 {
		t.Fatalf("peak of nothing = %d, want 0", got)
	}
	g.record(4)
	for range 7 {
		g.record(1)
	}
	if got := g.peak(); got != 4 {
		t.Fatalf("peak with a 4 among the last 8 = %d, want 4", got)
	}
	g.record(1) // the 4 is now nine groups back
	if got := g.peak(); got != 1 {
		t.Fatalf("peak once the 4 aged out = %d, want 1", got)
	}
}

func newTestQueue(gatherFor time.Duration) *createQueue {
	return &createQueue{wake: make(chan struct{}, 1), quit: make(chan struct{}), gatherFor: gatherFor}
}

func (q *createQueue) enqueue() {
	if err := q.push(&createJob{rec: &agentRecord{}, done: make(chan error, 1)}); err != nil {
		panic(err)
	}
}

func TestGatherDoesNotWaitForALoneClient(t *testing.T) {
	t.Parallel()
	q := newTestQueue(10 * time.Second)
	q.recent.record(1)
	q.enqueue()
	t0 := time.Now()
	q.gather()
	if d := time.Since(t0); d > time.Second {
		t.Fatalf("gather waited %v with every recent group of one", d)
	}
}

func TestGatherWaitsForTheRecentPeakAndNoLonger(t *testing.T) {
	t.Parallel()
	// A long bound, so only the arrivals can end the wait.
	q := newTestQueue(10 * time.Second)
	q.recent.record(3)
	q.enqueue()
	done := make(chan time.Duration)
	go func() {
		t0 := time.Now()
		q.gather()
		done <- time.Since(t0)
	}()
	// Two more creates arrive: the group is full and gather returns at
	// once, well before gatherFor has passed.
	time.Sleep(20 * time.Millisecond)
	q.enqueue()
	q.enqueue()
	if d := <-done; d >= 5*time.Second {
		t.Fatalf("gather waited %v after the group of 3 filled", d)
	}
	if n := q.queued(); n != 3 {
		t.Fatalf("queued = %d, want 3", n)
	}

	// With nobody else coming, it gives up after gatherFor.
	q2 := newTestQueue(30 * time.Millisecond)
	q2.recent.record(4)
	q2.enqueue()
	t0 := time.Now()
	q2.gather()
	if d := time.Since(t0); d < 30*time.Millisecond || d > 5*time.Second {
		t.Fatalf("gather with a short group waited %v, want about 30ms", d)
	}
}

package server

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

func walFileSize(t *testing.T, dir string) int64 {
	t.Helper()
	fi, err := os.Stat(dir + "/" + dbFile + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// openStoreWithWALBound opens a store whose checkpointer catches up past
// bound. The bound is restored after the store's own cleanup has stopped
// the checkpointer that reads it (cleanups run last first).
func openStoreWithWALBound(t *testing.T, dir string, bound int64) *store {
	t.Helper()
	old := walMaxBytes
	walMaxBytes = bound
	t.Cleanup(func() { walMaxBytes = old })
	return openTestStore(t, dir)
}

// Under a steady stream of creates the WAL never finds itself fully
// copied, so it would grow without end; past walMaxBytes the checkpointer
// catches up with the writer held, and once writes stop it empties the
// file.
func TestWALStaysBoundedAndIsEmptiedWhenIdle(t *testing.T) {
	dir := t.TempDir()
	st := openStoreWithWALBound(t, dir, 256<<10)
	ctx := context.Background()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := st.createAgent(ctx, newTestAgent(fmt.Sprintf("w%d-%d", w, i))); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for deadline := time.Now().Add(20 * time.Second); st.ckpt.caughtUp.Load() < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			close(stop)
			wg.Wait()
			t.Fatalf("the checkpointer never caught up (WAL %d bytes)", walFileSize(t, dir))
		}
	}
	close(stop)
	wg.Wait()

	for deadline := time.Now().Add(50 * checkpointEvery); walFileSize(t, dir) != 0; time.Sleep(checkpointEvery / 4) {
		if time.Now().After(deadline) {
			t.Fatalf("the WAL still holds %d bytes after writes stopped", walFileSize(t, dir))
		}
	}
	// Nothing was lost on the way.
	n, err := st.agentCount(ctx)
	if err != nil || n == 0 {
		t.Fatalf("agent count %d (%v)", n, err)
	}
	var page []*agentRecord
	if page, _, err = st.listAgents(ctx, agentQuery{Limit: 1, Sort: "created_at", Desc: true}); err != nil || len(page) != 1 {
		t.Fatalf("list after truncation: %v (%v)", page, err)
	}
}

// A commit never trims the WAL: freeing its blocks inside a request took
// ~60 ms on a disk mounted with discard (docs/server.md).
func TestCommitsNeverTrimTheWAL(t *testing.T) {
	t.Parallel()
	st := openTestStore(t, t.TempDir())
	var limit int64
	if err := st.w.QueryRow("PRAGMA journal_size_limit").Scan(&limit); err != nil {
		t.Fatal(err)
	}
	if limit != -1 {
		t.Fatalf("the writer's journal_size_limit is %d: the commit after a rewind would cut the WAL", limit)
	}
}

// Since nothing but the idle TRUNCATE cuts the WAL, a burst leaves the
// file big after it is rewound. What is held against walMaxBytes must be
// the frames written since the rewind: measured by the file, every tick
// of a later trickle of writes would hold the writer.
func TestCatchUpFollowsFramesNotTheFileSize(t *testing.T) {
	dir := t.TempDir()
	st := openStoreWithWALBound(t, dir, 4<<20)
	ctx := context.Background()
	for i, deadline := 0, time.Now().Add(20*time.Second); st.ckpt.caughtUp.Load() == 0; i++ {
		if err := st.createAgent(ctx, newTestAgent(fmt.Sprintf("burst-%d", i))); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the burst never made the checkpointer catch up (WAL %d bytes)", walFileSize(t, dir))
		}
	}
	caught := st.ckpt.caughtUp.Load()
	// A few writes in every tick, far fewer frames than the bound.
	for i := range 20 {
		if err := st.createAgent(ctx, newTestAgent(fmt.Sprintf("trickle-%d", i))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(checkpointEvery / 4)
	}
	if size := walFileSize(t, dir); size < walMaxBytes {
		t.Fatalf("the WAL file shrank to %d bytes during the trickle: this test needs it left big", size)
	}
	if got := st.ckpt.caughtUp.Load() - caught; got != 0 {
		t.Fatalf("%d passes held the writer during a trickle of 20 small creates: the file's size was measured, not the frames", got)
	}
}

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

// Under a steady stream of creates the WAL never finds itself fully
// copied, so it would grow without end; past walMaxBytes the checkpointer
// catches up with the writer held, and once writes stop it empties the
// file.
func TestWALStaysBoundedAndIsEmptiedWhenIdle(t *testing.T) {
	old := walMaxBytes
	walMaxBytes = 256 << 10
	defer func() { walMaxBytes = old }()
	dir := t.TempDir()
	st := openTestStore(t, dir)
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

package server

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// A write that meets another connection's write lock (the checkpointer's
// TRUNCATE holds it while the WAL file is cut) starts within moments of
// its release. SQLite's own busy handler would sleep on to the end of its
// next step: 1+2+5+10+15+20+25+25 = 103 ms for a lock let go at 80.
func TestWriteStartsAsSoonAsTheLockIsFree(t *testing.T) {
	dir := t.TempDir()
	st := openTestStore(t, dir)
	ctx := context.Background()
	// A first create prepares the writer, so the timed one is only the wait.
	if err := st.createAgent(ctx, newTestAgent("warm")); err != nil {
		t.Fatal(err)
	}

	other, err := sql.Open("sqlite", "file:"+dir+"/"+dbFile+"?_busy_timeout=10000&_journal_mode=WAL&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holder, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	const hold = 80 * time.Millisecond
	start := time.Now()
	released := make(chan time.Time, 1)
	go func() {
		time.Sleep(hold)
		released <- time.Now()
		_ = holder.Rollback()
	}()
	if err := st.createAgent(ctx, newTestAgent("waited")); err != nil {
		t.Fatalf("create while another connection held the write lock: %v", err)
	}
	done := time.Now()
	freedAt := <-released
	if done.Before(freedAt) {
		t.Fatal("the create finished while the other connection still held the write lock")
	}
	// 15 ms of slack for a loaded machine; SQLite's handler would take 23.
	if late := done.Sub(freedAt); late > 15*time.Millisecond {
		t.Fatalf("the create started %v after the lock was free (%v in all)", late, done.Sub(start))
	}
}

// Statements inside a write transaction keep the writer's busy timeout:
// only BEGIN goes without it.
func TestWriteTransactionKeepsTheBusyTimeout(t *testing.T) {
	st := openTestStore(t, t.TempDir())
	err := st.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		var ms int64
		if err := tx.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms); err != nil {
			return err
		}
		if ms != writerBusyTimeout.Milliseconds() {
			t.Errorf("busy_timeout inside a write transaction = %d ms, want %d", ms, writerBusyTimeout.Milliseconds())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

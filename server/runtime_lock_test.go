package server

import (
	"context"
	"database/sql"
	"log/slog"
	"testing"
	"time"

	"lapctl/spec"
)

// TestStateWriteDoesNotHoldTheSessionLock: while the store's writer is
// busy (here: held by a long transaction), a session's state update waits
// for it, but the session's lock stays free for readers such as
// currentState and stop.
func TestStateWriteDoesNotHoldTheSessionLock(t *testing.T) {
	t.Parallel()
	st := openTestStore(t, t.TempDir())
	rt := &sessionRuntime{store: st, log: slog.New(slog.DiscardHandler)}
	ls := &liveSession{id: "ses_lock"}
	holding, release := make(chan struct{}), make(chan struct{})
	go st.inTx(context.Background(), func(context.Context, *sql.Tx) error { //nolint:errcheck // only holds the writer
		close(holding)
		<-release
		return nil
	})
	<-holding
	updated := make(chan struct{})
	go func() {
		rt.update(ls, func(s *sessionState) { s.Status = spec.SessionRunning })
		close(updated)
	}()
	// The update has changed the state and now waits for the writer.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		got := make(chan string, 1)
		go func() { got <- ls.currentState().Status }()
		select {
		case status := <-got:
			if status == spec.SessionRunning {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the update never changed the state")
			}
			continue
		case <-time.After(2 * time.Second):
			close(release)
			t.Fatal("currentState waited for the store write: the session lock is held across it")
		}
		break
	}
	select {
	case <-updated:
		t.Fatal("the update returned while the writer was held: the test proves nothing")
	default:
	}
	close(release)
	<-updated
}

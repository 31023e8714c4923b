package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"lapctl/spec"
)

// holdWriterUntilQueued takes the writer, runs creates (each in its own
// goroutine) and releases the writer once all of them are queued, so
// they are written as one group. It returns each create's error.
func holdWriterUntilQueued(t *testing.T, st *store, ctxs []context.Context, recs []*agentRecord) []error {
	t.Helper()
	conn, err := st.w.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, len(recs))
	done := make(chan int, len(recs))
	for i, rec := range recs {
		go func() {
			errs[i] = st.createAgent(ctxs[i], rec)
			done <- i
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		st.creates.mu.Lock()
		queued := len(st.creates.jobs)
		st.creates.mu.Unlock()
		if queued == len(recs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d creates queued", queued, len(recs))
		}
	}
	conn.Close()
	for range recs {
		<-done
	}
	return errs
}

func newTestAgent(name string, skills ...string) *agentRecord {
	return &agentRecord{ID: newID(prefixAgent), Status: spec.StatusPaused, CreatedAt: 1, UpdatedAt: 1,
		AgentSpec: spec.AgentSpec{Name: name, OwnerID: "o", Harness: "opencode", SkillIDs: skills,
			EnvVars:      map[string]string{"A": "1"},
			SandboxFiles: []spec.SandboxFile{{Name: "f", SandboxPath: "~/f", Content: "eA==", Size: 1}}}}
}

// Creates written in one group fail alone: a refused skill and a failed
// insert are answered with their own errors, and the others are stored.
func TestGroupedCreatesFailAlone(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t, t.TempDir())
	if _, err := st.w.Exec(`CREATE TEMP TRIGGER fail_bad BEFORE INSERT ON agents WHEN new.name = 'bad-write'
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	recs := []*agentRecord{newTestAgent("good-1"), newTestAgent("bad-skill", "skl_missing"),
		newTestAgent("bad-write"), newTestAgent("good-2")}
	ctxs := []context.Context{ctx, ctx, ctx, ctx}
	errs := holdWriterUntilQueued(t, st, ctxs, recs)

	if errs[0] != nil || errs[3] != nil {
		t.Fatalf("good creates failed: %v, %v", errs[0], errs[3])
	}
	var ae *apiError
	if !errors.As(errs[1], &ae) || ae.Field != "skill_ids" {
		t.Errorf("create with a missing skill: %v, want a skill_ids error", errs[1])
	}
	if errs[2] == nil || !strings.Contains(errs[2].Error(), "injected failure") {
		t.Errorf("create with a failing insert: %v, want the injected failure", errs[2])
	}
	for i, rec := range recs {
		got, err := st.getAgent(ctx, rec.ID, false)
		switch {
		case errs[i] == nil && (err != nil || got.EnvVars["A"] != "1" || len(got.SandboxFiles) != 1):
			t.Errorf("%s: stored as %+v (%v)", rec.Name, got, err)
		case errs[i] != nil && !errors.Is(err, errNotFound):
			t.Errorf("%s failed but was stored (%v)", rec.Name, err)
		}
	}
	if n, err := st.agentCount(ctx); err != nil || n != 2 {
		t.Errorf("agent count %d (%v), want 2", n, err)
	}
}

// A create whose request leaves while it waits for the writer writes
// nothing and reports the cancellation; the rest of its group is stored.
func TestQueuedCreateCancelledWritesNothing(t *testing.T) {
	st := openTestStore(t, t.TempDir())
	conn, err := st.w.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stays, leaves := newTestAgent("stays"), newTestAgent("leaves")
	gone, cancel := context.WithCancel(context.Background())
	stayed, left := make(chan error, 1), make(chan error, 1)
	go func() { stayed <- st.createAgent(context.Background(), stays) }()
	go func() { left <- st.createAgent(gone, leaves) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		st.creates.mu.Lock()
		queued := len(st.creates.jobs)
		st.creates.mu.Unlock()
		if queued == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 2 creates queued", queued)
		}
	}
	cancel()
	// It returns while the writer is still held: it never got the writer.
	if err := <-left; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled create: %v, want context.Canceled", err)
	}
	conn.Close()
	if err := <-stayed; err != nil {
		t.Fatal(err)
	}
	if _, err := st.getAgent(context.Background(), leaves.ID, false); !errors.Is(err, errNotFound) {
		t.Fatalf("the cancelled create was stored (%v)", err)
	}
	if _, err := st.getAgent(context.Background(), stays.ID, false); err != nil {
		t.Fatal(err)
	}
}

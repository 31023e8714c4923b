package server

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"lapctl/spec"
)

func openTestStore(t *testing.T, dir string) *store {
	t.Helper()
	sealer, err := loadSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(dir, sealer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.close() })
	return st
}

// failInserts makes every insert into table abort, to break a write
// half-way through its transaction.
func failInserts(t *testing.T, st *store, table string) {
	t.Helper()
	_, err := st.w.Exec(`CREATE TEMP TRIGGER fail_` + table + ` BEFORE INSERT ON ` + table +
		` BEGIN SELECT RAISE(ABORT, 'injected failure'); END`)
	if err != nil {
		t.Fatal(err)
	}
}

func TestFailedWritesLeaveNothingHalfMade(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t, t.TempDir())
	failInserts(t, st, "agent_files")

	rec := &agentRecord{ID: newID(prefixAgent), Status: spec.StatusPaused, CreatedAt: 1, UpdatedAt: 1,
		AgentSpec: spec.AgentSpec{Name: "half", OwnerID: "o", Harness: "opencode",
			EnvVars:      map[string]string{"A": "1"},
			SandboxFiles: []spec.SandboxFile{{Name: "f", SandboxPath: "~/f", Content: "eA==", Size: 1}}}}
	if err := st.createAgent(ctx, rec); err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("create: err = %v, want the injected failure", err)
	}
	if _, err := st.getAgent(ctx, rec.ID, false); !errors.Is(err, errNotFound) {
		t.Fatalf("a failed create left the agent behind: %v", err)
	}
	var envRows int
	if err := st.r.QueryRow("SELECT COUNT(*) FROM agent_env").Scan(&envRows); err != nil || envRows != 0 {
		t.Fatalf("a failed create left %d env rows (%v)", envRows, err)
	}

	// An update that fails half-way keeps the agent as it was.
	ok := &agentRecord{ID: newID(prefixAgent), Status: spec.StatusPaused, CreatedAt: 1, UpdatedAt: 1,
		AgentSpec: spec.AgentSpec{Name: "whole", OwnerID: "o", Harness: "opencode", EnvVars: map[string]string{"A": "1"}}}
	if err := st.createAgent(ctx, ok); err != nil {
		t.Fatal(err)
	}
	_, err := st.updateAgent(ctx, ok.ID, func(a *agentRecord) error {
		a.Name = "changed"
		a.EnvVars = map[string]string{"B": "2"}
		a.SandboxFiles = rec.SandboxFiles
		return nil
	})
	if err == nil {
		t.Fatal("update with a failing file insert succeeded")
	}
	got, err := st.getAgent(ctx, ok.ID, false)
	if err != nil || got.Name != "whole" || got.EnvVars["A"] != "1" || len(got.EnvVars) != 1 {
		t.Fatalf("after a failed update: %+v (%v)", got, err)
	}
}

func TestRestartMarksLeftoverSessionsEnded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openTestStore(t, dir)
	agent := &agentRecord{ID: newID(prefixAgent), Status: spec.StatusActive, CreatedAt: 1, UpdatedAt: 1,
		AgentSpec: spec.AgentSpec{Name: "a", OwnerID: "o", Harness: "claude-code"}}
	if err := st.createAgent(ctx, agent); err != nil {
		t.Fatal(err)
	}
	// As a crashed server would leave them.
	for _, status := range []string{spec.SessionStarting, spec.SessionRunning, spec.SessionIdle} {
		rec := &sessionRecord{Session: spec.Session{ID: newID(prefixSession), AgentID: agent.ID, Agent: "a",
			Harness: "claude-code", Kind: spec.KindTUI, Status: status}}
		if err := st.insertSession(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	st.close()

	s, err := New(Options{Listen: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(ctx)
	recs, err := s.store.listSessions(ctx, "")
	if err != nil || len(recs) != 3 {
		t.Fatalf("sessions: %d (%v)", len(recs), err)
	}
	for _, r := range recs {
		if r.Status != spec.SessionExited || !strings.HasPrefix(r.FailureReason, "server restarted") {
			t.Errorf("leftover session: status %s reason %q", r.Status, r.FailureReason)
		}
	}
}

func TestMigrationsAreRecorded(t *testing.T) {
	dir := t.TempDir()
	st := openTestStore(t, dir)
	var version int
	if err := st.r.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("user_version = %d (%v), want %d", version, err, len(migrations))
	}
	var mode string
	if err := st.r.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v)", mode, err)
	}
	st.close()
	again := openTestStore(t, dir) // migrating an up-to-date database is a no-op
	if err := again.r.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("reopened user_version = %d (%v)", version, err)
	}
}

func TestSealerBindsContext(t *testing.T) {
	s, err := loadSealer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := s.seal([]byte("v"), []byte("ctx-a"))
	b := s.seal([]byte("v"), []byte("ctx-a"))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if got, err := s.open(a, []byte("ctx-a")); err != nil || string(got) != "v" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := s.open(a, []byte("ctx-b")); err == nil {
		t.Fatal("a value opened under another row's context")
	}
}

func TestSandboxTarget(t *testing.T) {
	for in, want := range map[string]string{
		"~/a.txt":          "home/a.txt",
		"~/x/../y":         "home/y",
		"/work/app.py":     "work/app.py",
		"/etc/config":      "etc/config",
		"~/../work/f":      "work/f",
		"//double//slash":  "double/slash",
		"~/../../etc/x":    "",
		"/../outside":      "",
		"~root/.ssh/keys":  "",
		"~":                "",
		"/work/../../../x": "",
	} {
		got, err := sandboxTarget(in)
		if want == "" {
			if err == nil {
				t.Errorf("%s: mapped to %s, want a refusal", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%s: %q (%v), want %q", in, got, err, want)
		}
	}
}

func TestRingBufferKeepsTheNewestBytes(t *testing.T) {
	r := newRingBuffer(8)
	r.Write([]byte("abc"))
	if got := string(r.Bytes()); got != "abc" {
		t.Fatalf("%q", got)
	}
	r.Write([]byte("defgh"))
	if got := string(r.Bytes()); got != "abcdefgh" {
		t.Fatalf("exactly full: %q", got)
	}
	r.Write([]byte("ij"))
	if got := string(r.Bytes()); got != "cdefghij" {
		t.Fatalf("wrapped: %q", got)
	}
	r.Write([]byte("0123456789"))
	if got := string(r.Bytes()); got != "23456789" {
		t.Fatalf("oversized write: %q", got)
	}
}

func TestCloseReasonFitsAFrame(t *testing.T) {
	long := strings.Repeat("é", 100)
	got := closeReason(long)
	if len(got) > 123 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Fatalf("closeReason: %d bytes %q", len(got), got)
	}
	if closeReason("short") != "short" {
		t.Fatal("short reasons are kept")
	}
}

func TestEffectivePrompt(t *testing.T) {
	a := &spec.AgentSpec{System: "S", Prompt: "P", SkillIDs: []string{"skill_a", "skill_gone", "skill_a", "skill_b"}}
	got := effectivePrompt(a, map[string]string{"skill_a": "A", "skill_b": "B"})
	want := "S\n\n<!-- skill:skill_a -->\nA\n\n<!-- skill:skill_b -->\nB"
	if got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}

// TestListQueriesUseIndexes guards the list's speed at 10,000 agents: no
// sort order, with or without an owner or a search, may need a sort of
// the whole table.
func TestListQueriesUseIndexes(t *testing.T) {
	st := openTestStore(t, t.TempDir())
	for _, sortKey := range spec.SortKeys {
		for _, q := range []agentQuery{
			{Sort: sortKey, Desc: true},
			{Sort: sortKey, OwnerID: "o"},
			{Sort: sortKey, Search: "x", Desc: true},
		} {
			for _, after := range []*pageRow{nil, {seq: 7, key: "k"}} {
				pageSQL, args := agentScanSQL(q, after)
				checkPlanIndexed(t, st, q, pageSQL, append(args, 50, 0))
			}
		}
	}
}

// checkPlanIndexed fails when a page query would sort the whole table.
func checkPlanIndexed(t *testing.T, st *store, q agentQuery, pageSQL string, args []any) {
	t.Helper()
	joined := queryPlan(t, st, pageSQL, args)
	if strings.Contains(joined, "TEMP B-TREE") || !strings.Contains(joined, "INDEX") {
		t.Errorf("%+v: plan %q sorts without an index", q, joined)
	}
}

// queryPlan is EXPLAIN QUERY PLAN's details, joined.
func queryPlan(t *testing.T, st *store, query string, args []any) string {
	t.Helper()
	rows, err := st.r.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

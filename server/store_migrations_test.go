package server

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A database made by migration 1 keeps its sessions and messages through
// migration 2 (nullable agent_id), with every cascade still in force.
func TestMigrationNullableSessionAgent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, dbFile)+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		migrations[0],
		"PRAGMA user_version = 1",
		`INSERT INTO agents (id, name, name_fold, owner_id, status, harness, created_at, updated_at)
			VALUES ('agent_a', 'A', 'a', 'o', 'active', 'opencode', 1, 1)`,
		`INSERT INTO sessions (id, agent_id, agent_name, title, harness, kind, status, created_at, updated_at)
			VALUES ('ses_1', 'agent_a', 'A', 'one', 'opencode', 'api', 'exited', 1, 1),
			       ('ses_2', 'agent_a', 'A', 'two', 'opencode', 'api', 'exited', 1, 1)`,
		`INSERT INTO messages (id, session_id, role, parts, created_at)
			VALUES ('msg_1', 'ses_1', 'user', '[]', 1), ('msg_2', 'ses_2', 'user', '[]', 1)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	sealer, err := loadSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := openStore(dir, sealer)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := s.w.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if v := count("PRAGMA user_version"); v != len(migrations) {
		t.Fatalf("user_version %d, want %d", v, len(migrations))
	}
	got, err := s.getSession(ctx, "ses_1")
	if err != nil || got.AgentID != "agent_a" || got.Agent != "agent_a" || got.Title != "one" {
		t.Fatalf("migrated session: %+v, %v", got, err)
	}
	if n := count("SELECT COUNT(*) FROM messages"); n != 2 {
		t.Errorf("%d messages after the migration, want 2", n)
	}
	if n := count("SELECT COUNT(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("%d foreign key violations", n)
	}

	// A session without an agent can be stored now.
	unbound := &sessionRecord{}
	unbound.ID, unbound.Agent, unbound.Harness, unbound.Kind, unbound.Status = "ses_3", "opencode", "opencode", "api", "starting"
	if err := s.insertSession(ctx, unbound); err != nil {
		t.Fatalf("session without an agent: %v", err)
	}
	// Deleting a session still takes its messages; deleting the agent its
	// sessions (and so their messages), leaving the unbound one.
	if _, err := s.deleteSession(ctx, "ses_1"); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT COUNT(*) FROM messages WHERE session_id = 'ses_1'"); n != 0 {
		t.Errorf("messages of a deleted session: %d", n)
	}
	if err := s.deleteAgent(ctx, "agent_a"); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT COUNT(*) FROM sessions"); n != 1 {
		t.Errorf("%d sessions after deleting the agent, want only the unbound one", n)
	}
	if n := count("SELECT COUNT(*) FROM messages"); n != 0 {
		t.Errorf("%d messages after deleting the agent, want 0", n)
	}
}

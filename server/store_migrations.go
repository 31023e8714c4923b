package server

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's history, applied in order; PRAGMA
// user_version records how many have run. Never edit a released entry:
// append a new one, so every existing database upgrades the same way.
var migrations = []string{
	// 1: agents with their env vars, files and skill links; skills;
	// sessions and their messages.
	`
CREATE TABLE skills (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	content     TEXT NOT NULL,
	owner_id    TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX skills_owner ON skills(owner_id, created_at);

CREATE TABLE agents (
	seq          INTEGER PRIMARY KEY, -- insertion order: the tie-break of every list order
	id           TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	name_fold    TEXT NOT NULL,
	owner_id     TEXT NOT NULL,
	model        TEXT NOT NULL DEFAULT '',
	system       TEXT NOT NULL DEFAULT '',
	prompt       TEXT NOT NULL DEFAULT '',
	description  TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	harness      TEXT NOT NULL,
	config       TEXT,
	tools        TEXT,
	requirements TEXT NOT NULL DEFAULT '',
	repo_url     TEXT NOT NULL DEFAULT '',
	branch       TEXT NOT NULL DEFAULT '',
	mcp_servers  TEXT,
	allow_out    TEXT,
	deny_out     TEXT,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
-- One index per list order, with and without the owner filter, each
-- followed by seq (the tie-break), so a page of 50 out of 10,000 agents is
-- read straight off an index. The plain ones also carry the searched
-- columns: a search scans the narrow index, not the table, and reads only
-- the matching rows.
CREATE INDEX agents_created       ON agents(created_at, seq, name_fold, id, harness);
CREATE INDEX agents_name          ON agents(name_fold, seq, id, harness);
CREATE INDEX agents_harness       ON agents(harness, seq, name_fold, id);
CREATE INDEX agents_owner_created ON agents(owner_id, created_at, seq);
CREATE INDEX agents_owner_name    ON agents(owner_id, name_fold, seq);
CREATE INDEX agents_owner_harness ON agents(owner_id, harness, seq);

CREATE TABLE agent_env (
	agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	key      TEXT NOT NULL,
	value    BLOB NOT NULL, -- AES-256-GCM: nonce || ciphertext
	PRIMARY KEY (agent_id, key)
) WITHOUT ROWID;

CREATE TABLE agent_files (
	agent_id     TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	name         TEXT NOT NULL,
	sandbox_path TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	content      TEXT NOT NULL, -- base64, as given
	PRIMARY KEY (agent_id, position)
);

CREATE TABLE agent_skills (
	agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	skill_id TEXT NOT NULL REFERENCES skills(id),
	PRIMARY KEY (agent_id, position)
) WITHOUT ROWID;
CREATE INDEX agent_skills_skill ON agent_skills(skill_id);

CREATE TABLE sessions (
	id             TEXT PRIMARY KEY,
	agent_id       TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	agent_name     TEXT NOT NULL,
	title          TEXT NOT NULL DEFAULT '',
	harness        TEXT NOT NULL,
	kind           TEXT NOT NULL,
	status         TEXT NOT NULL,
	phase          TEXT NOT NULL DEFAULT '',
	failure_reason TEXT NOT NULL DEFAULT '',
	notice         TEXT NOT NULL DEFAULT '',
	exit_code      INTEGER,
	environment    TEXT,
	tty_token      TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);
CREATE INDEX sessions_agent ON sessions(agent_id, created_at);
CREATE INDEX sessions_status ON sessions(status);

CREATE TABLE messages (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	id         TEXT NOT NULL UNIQUE,
	session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	model_id   TEXT NOT NULL DEFAULT '',
	parts      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX messages_session ON messages(session_id, seq);
`,
	// 2: a session may run a harness without an agent (POST /session with
	// agent = a harness name, as on the gateway): agent_id becomes
	// nullable. SQLite cannot drop NOT NULL in place, so both tables are
	// rebuilt; messages first, so dropping the old sessions cascades into
	// nothing. Renaming sessions_v2 rewrites messages_v2's reference.
	`
CREATE TABLE sessions_v2 (
	id             TEXT PRIMARY KEY,
	agent_id       TEXT REFERENCES agents(id) ON DELETE CASCADE,
	agent_name     TEXT NOT NULL,
	title          TEXT NOT NULL DEFAULT '',
	harness        TEXT NOT NULL,
	kind           TEXT NOT NULL,
	status         TEXT NOT NULL,
	phase          TEXT NOT NULL DEFAULT '',
	failure_reason TEXT NOT NULL DEFAULT '',
	notice         TEXT NOT NULL DEFAULT '',
	exit_code      INTEGER,
	environment    TEXT,
	tty_token      TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);
INSERT INTO sessions_v2 (rowid, id, agent_id, agent_name, title, harness, kind, status, phase, failure_reason,
	notice, exit_code, environment, tty_token, created_at, updated_at)
SELECT rowid, id, agent_id, agent_name, title, harness, kind, status, phase, failure_reason,
	notice, exit_code, environment, tty_token, created_at, updated_at FROM sessions;

CREATE TABLE messages_v2 (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	id         TEXT NOT NULL UNIQUE,
	session_id TEXT NOT NULL REFERENCES sessions_v2(id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	model_id   TEXT NOT NULL DEFAULT '',
	parts      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
INSERT INTO messages_v2 (seq, id, session_id, role, model_id, parts, created_at)
SELECT seq, id, session_id, role, model_id, parts, created_at FROM messages;

DROP TABLE messages;
DROP TABLE sessions;
ALTER TABLE sessions_v2 RENAME TO sessions;
ALTER TABLE messages_v2 RENAME TO messages;
CREATE INDEX sessions_agent ON sessions(agent_id, created_at);
CREATE INDEX sessions_status ON sessions(status);
CREATE INDEX messages_session ON messages(session_id, seq);
`,
	// 3: a trigram index for search and maintained counts for list
	// totals, both kept in step with agents by triggers (so by the same
	// transaction as every write), and built here for existing rows.
	`
CREATE VIRTUAL TABLE agents_fts USING fts5(name, id, harness,
	tokenize = 'trigram', content = '', contentless_delete = 1);
INSERT INTO agents_fts (rowid, name, id, harness) SELECT seq, name_fold, id, lower(harness) FROM agents;

-- scope '*' counts every agent, 'owner:<id>' one owner's, and 'gen'
-- counts changes to what lists order and filter by (see store_list.go).
CREATE TABLE agent_counts (
	scope TEXT PRIMARY KEY,
	n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO agent_counts (scope, n) SELECT '*', COUNT(*) FROM agents;
INSERT INTO agent_counts (scope, n) VALUES ('gen', 0);
INSERT INTO agent_counts (scope, n) SELECT 'owner:' || owner_id, COUNT(*) FROM agents GROUP BY owner_id;

CREATE TRIGGER agents_counted_insert AFTER INSERT ON agents BEGIN
	INSERT INTO agents_fts (rowid, name, id, harness) VALUES (new.seq, new.name_fold, new.id, lower(new.harness));
	UPDATE agent_counts SET n = n + 1 WHERE scope IN ('*', 'gen');
	INSERT INTO agent_counts (scope, n) VALUES ('owner:' || new.owner_id, 1)
		ON CONFLICT (scope) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER agents_counted_delete AFTER DELETE ON agents BEGIN
	DELETE FROM agents_fts WHERE rowid = old.seq;
	UPDATE agent_counts SET n = n - 1 WHERE scope IN ('*', 'owner:' || old.owner_id);
	UPDATE agent_counts SET n = n + 1 WHERE scope = 'gen';
END;

-- Only a change to a listed or searched column touches the index and
-- counts: a pause or a prompt edit writes nothing more.
CREATE TRIGGER agents_counted_update AFTER UPDATE ON agents
WHEN old.name_fold IS NOT new.name_fold OR old.id IS NOT new.id OR old.harness IS NOT new.harness
	OR old.owner_id IS NOT new.owner_id OR old.created_at IS NOT new.created_at OR old.seq IS NOT new.seq
BEGIN
	DELETE FROM agents_fts WHERE rowid = old.seq;
	INSERT INTO agents_fts (rowid, name, id, harness) VALUES (new.seq, new.name_fold, new.id, lower(new.harness));
	UPDATE agent_counts SET n = n - 1 WHERE scope = 'owner:' || old.owner_id;
	INSERT INTO agent_counts (scope, n) VALUES ('owner:' || new.owner_id, 1)
		ON CONFLICT (scope) DO UPDATE SET n = n + 1;
	UPDATE agent_counts SET n = n + 1 WHERE scope = 'gen';
END;
`,
	// 4: rev counts the changes to an agent, so a reader can tell whether
	// the agent it cached is the one in its snapshot (store_cache.go).
	`ALTER TABLE agents ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;`,
}

// migrate brings the schema up to date, each step in its own transaction
// together with its user_version bump, so a crash mid-way leaves the
// database at the previous version rather than half-migrated.
func (s *store) migrate(ctx context.Context) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this lapctl knows (%d): upgrade lapctl", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return err
			}
			// PRAGMA takes no bound parameters; i+1 is our own integer.
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

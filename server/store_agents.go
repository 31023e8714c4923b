package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"lapctl/spec"
)

// agentRecord is an agent as stored: its full spec (file contents
// included when loaded withContent) plus the server's own fields.
type agentRecord struct {
	spec.AgentSpec
	ID        string
	Status    string
	CreatedAt int64
	UpdatedAt int64

	sealedEnv []sealedVar // env values as at rest, until openSecrets
}

// sealedVar is an env var whose value is still sealed.
type sealedVar struct {
	key   string
	value []byte
}

// querier is what both a pool and a transaction offer, so loaders run
// inside a write transaction (read-modify-write) or on the reader pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

const agentColumns = `id, name, owner_id, model, system, prompt, description, status, harness,
	config, tools, requirements, repo_url, branch, mcp_servers, allow_out, deny_out, created_at, updated_at`

// insertAgent writes a new agent's row and parts inside tx.
func (s *store) insertAgent(ctx context.Context, tx querier, a *agentRecord) error {
	cols, err := agentValues(s.atRest(a))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO agents (`+agentColumns+`, name_fold)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, cols...)
	if err != nil {
		return err
	}
	return s.writeAgentParts(ctx, tx, a)
}

// updateAgent loads the agent with its file contents inside a write
// transaction, lets change edit it, and writes it back: a concurrent
// PATCH cannot slip in between the read and the write.
func (s *store) updateAgent(ctx context.Context, id string, change func(a *agentRecord) error) (*agentRecord, error) {
	var out *agentRecord
	err := s.inTx(ctx, func(ctx context.Context, sqlTx *sql.Tx) error {
		tx := s.cached(sqlTx)
		a, err := s.loadAgent(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := change(a); err != nil {
			return err
		}
		if err := checkSkillsOwned(ctx, tx, a.OwnerID, a.SkillIDs); err != nil {
			return err
		}
		cols, err := agentValues(s.atRest(a))
		if err != nil {
			return err
		}
		// agentValues starts with the id; UPDATE wants it last.
		_, err = tx.ExecContext(ctx, `UPDATE agents SET name=?, owner_id=?, model=?, system=?, prompt=?,
			description=?, status=?, harness=?, config=?, tools=?, requirements=?, repo_url=?, branch=?,
			mcp_servers=?, allow_out=?, deny_out=?, created_at=?, updated_at=?, name_fold=?, rev=rev+1 WHERE id=?`,
			append(cols[1:], cols[0])...)
		if err != nil {
			return err
		}
		for _, table := range []string{"agent_env", "agent_files", "agent_skills"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE agent_id=?", id); err != nil {
				return err
			}
		}
		out = a
		return s.writeAgentParts(ctx, tx, a)
	})
	return out, err
}

// setAgentStatus pauses or resumes an agent.
func (s *store) setAgentStatus(ctx context.Context, id, status string) error {
	res, err := s.exec(ctx, "UPDATE agents SET status=?, updated_at=?, rev=rev+1 WHERE id=?", status, nowMs(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	return nil
}

// deleteAgent removes an agent; its env vars, files, skill links,
// sessions and messages go with it (ON DELETE CASCADE).
func (s *store) deleteAgent(ctx context.Context, id string) error {
	res, err := s.freeing(func() (sql.Result, error) { return s.exec(ctx, "DELETE FROM agents WHERE id=?", id) })
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	return nil
}

// getAgent loads one agent; withContent adds sandbox file contents, which
// only session start-up and PATCH merging need.
//
// Its queries (the row, env, files, skills) share one read transaction:
// one snapshot, so a concurrent PATCH is seen whole or not at all, and
// one connection, taken once from the pool.
func (s *store) getAgent(ctx context.Context, id string, withContent bool) (*agentRecord, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return s.loadAgent(ctx, tx, id, withContent)
}

func (s *store) loadAgent(ctx context.Context, q querier, id string, withContent bool) (*agentRecord, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+agentColumns+" FROM agents WHERE id=?", id)
	if err != nil {
		return nil, err
	}
	agents, err := scanAgents(rows)
	if err != nil {
		return nil, err
	}
	if len(agents) == 0 {
		return nil, errNotFound
	}
	if err := s.loadAgentParts(ctx, q, agents, withContent); err != nil {
		return nil, err
	}
	return agents[0], nil
}

// agentQuery is a GET /api/agents query, already checked.
type agentQuery struct {
	OwnerID string
	Search  string
	Limit   int
	Offset  int
	Sort    string // one of spec.SortKeys
	Desc    bool
}

// agentCount is how many agents exist (demo seeding checks for none).
func (s *store) agentCount(ctx context.Context) (int, error) {
	c, err := readCounts(ctx, s.r, "")
	return c.all, err
}

// agentValues lists an agent's column values in agentColumns order, then
// name_fold.
func agentValues(a *agentRecord) ([]any, error) {
	cfg, err := storedConfig(a)
	if err != nil {
		return nil, err
	}
	var vals []any
	for _, v := range []any{cfg, a.MCPServers, a.AllowOut, a.DenyOut} {
		s, err := jsonColumn(v)
		if err != nil {
			return nil, err
		}
		vals = append(vals, s)
	}
	var tools any
	if t := strings.TrimSpace(string(a.Tools)); t != "" && t != "null" {
		tools = t
	}
	return []any{a.ID, a.Name, a.OwnerID, a.Model, a.System, a.Prompt, a.Description, a.Status, a.Harness,
		vals[0], tools, a.Requirements, a.RepoURL, a.Branch, vals[1], vals[2], vals[3], a.CreatedAt, a.UpdatedAt,
		strings.ToLower(a.Name)}, nil
}

// storedConfig is the config column of an agent: its config with runtime
// as config.runtime (the contract keeps runtime only there, one source of
// truth) and, as on the gateway, tools copied into config.tools, the
// top-level tools winning over a config.tools sent alongside.
func storedConfig(a *agentRecord) (map[string]any, error) {
	var tools any
	hasTools := false
	if t := strings.TrimSpace(string(a.Tools)); t != "" && t != "null" {
		if err := json.Unmarshal([]byte(t), &tools); err != nil {
			return nil, err
		}
		hasTools = true
	}
	if a.Runtime == nil && !hasTools {
		return a.Config, nil
	}
	cfg := make(map[string]any, len(a.Config)+2)
	for k, v := range a.Config {
		cfg[k] = v
	}
	if a.Runtime != nil {
		cfg["runtime"] = *a.Runtime
	}
	if hasTools {
		cfg["tools"] = tools
	}
	return cfg, nil
}

// jsonColumn encodes v as JSON, or NULL for an empty map or slice so
// omitted fields stay omitted in responses.
func jsonColumn(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		if t == nil {
			return nil, nil
		}
	case []string:
		if t == nil {
			return nil, nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func scanAgents(rows *sql.Rows) ([]*agentRecord, error) {
	var out []*agentRecord
	err := scanAgentRows(rows, nil, func(a *agentRecord) { out = append(out, a) })
	return out, err
}

// scanAgentRows scans rows of agentColumns, after the columns lead points
// into (read again for each row), and hands each agent to add.
func scanAgentRows(rows *sql.Rows, lead []any, add func(a *agentRecord)) error {
	defer rows.Close()
	for rows.Next() {
		a := &agentRecord{}
		var cfg, tools, mcp, allow, deny sql.NullString
		dest := append(lead[:len(lead):len(lead)], &a.ID, &a.Name, &a.OwnerID, &a.Model, &a.System, &a.Prompt,
			&a.Description, &a.Status, &a.Harness, &cfg, &tools, &a.Requirements, &a.RepoURL, &a.Branch, &mcp,
			&allow, &deny, &a.CreatedAt, &a.UpdatedAt)
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := decodeColumns(a, cfg, tools, mcp, allow, deny); err != nil {
			return err
		}
		add(a)
	}
	return rows.Err()
}

func decodeColumns(a *agentRecord, cfg, tools, mcp, allow, deny sql.NullString) error {
	if cfg.Valid {
		if err := json.Unmarshal([]byte(cfg.String), &a.Config); err != nil {
			return err
		}
		if rt, ok := a.Config["runtime"].(string); ok {
			a.Runtime = &rt
		}
	}
	if tools.Valid {
		a.Tools = json.RawMessage(tools.String)
	}
	for _, c := range []struct {
		col sql.NullString
		dst *[]string
	}{{mcp, &a.MCPServers}, {allow, &a.AllowOut}, {deny, &a.DenyOut}} {
		if c.col.Valid {
			if err := json.Unmarshal([]byte(c.col.String), c.dst); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeAgentParts inserts an agent's env vars (encrypted), files and
// skill links.
func (s *store) writeAgentParts(ctx context.Context, tx querier, a *agentRecord) error {
	for k, v := range a.EnvVars {
		sealed := s.sealer.seal([]byte(v), envContext(a.ID, k))
		if _, err := tx.ExecContext(ctx, "INSERT INTO agent_env (agent_id, key, value) VALUES (?,?,?)", a.ID, k, sealed); err != nil {
			return err
		}
	}
	for i, f := range a.SandboxFiles {
		_, err := tx.ExecContext(ctx, `INSERT INTO agent_files (agent_id, position, name, sandbox_path, content_type, size, content)
			VALUES (?,?,?,?,?,?,?)`, a.ID, i, f.Name, f.SandboxPath, f.ContentType, f.Size, f.Content)
		if err != nil {
			return err
		}
	}
	for i, id := range a.SkillIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO agent_skills (agent_id, position, skill_id) VALUES (?,?,?)", a.ID, i, id); err != nil {
			return err
		}
	}
	return nil
}

// envContext binds a sealed env value to its agent and key.
func envContext(agentID, key string) []byte {
	return []byte("agent_env\x00" + agentID + "\x00" + key)
}

// agentPartsSQL reads the env vars, files and skill links of the agents
// whose ids it is given as a JSON array (three times: once per part), in
// one statement of fixed text, so it is prepared once whatever the
// number of agents. Each arm walks the ids and seeks each agent's rows
// on the part's primary key. Columns: kind (0 env, 1 file, 2 skill),
// agent id, then per kind: key, sealed value | name, sandbox path,
// content type, content, size, position | skill id, position.
const agentPartsSQL = `SELECT 0, e.agent_id, e.key, e.value, '', '', 0, 0
	FROM json_each(?) j CROSS JOIN agent_env e ON e.agent_id = j.value
UNION ALL SELECT 1, f.agent_id, f.name, f.sandbox_path, f.content_type, %s, f.size, f.position
	FROM json_each(?) j CROSS JOIN agent_files f ON f.agent_id = j.value
UNION ALL SELECT 2, s.agent_id, s.skill_id, NULL, '', '', 0, s.position
	FROM json_each(?) j CROSS JOIN agent_skills s ON s.agent_id = j.value`

var (
	agentPartsNoContent = fmt.Sprintf(agentPartsSQL, "''")
	agentPartsContent   = fmt.Sprintf(agentPartsSQL, "f.content")
)

// loadAgentParts fills env vars (decrypted), files and skill ids of
// agents with one query.
func (s *store) loadAgentParts(ctx context.Context, q querier, agents []*agentRecord, withContent bool) error {
	if err := loadSealedParts(ctx, q, agents, withContent); err != nil {
		return err
	}
	for _, a := range agents {
		if err := s.openSecrets(a); err != nil {
			return err
		}
	}
	return nil
}

// loadSealedParts fills files, skill ids and the still sealed env vars of
// agents with one query.
func loadSealedParts(ctx context.Context, q querier, agents []*agentRecord, withContent bool) error {
	if len(agents) == 0 {
		return nil
	}
	byID := make(map[string]*agentRecord, len(agents))
	ids := make([]string, len(agents))
	for i, a := range agents {
		byID[a.ID] = a
		ids[i] = a.ID
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	query := agentPartsNoContent
	if withContent {
		query = agentPartsContent
	}
	return eachRow(ctx, q, query, []any{string(idList), string(idList), string(idList)}, func(rows *sql.Rows) error {
		var kind, pos int
		var agentID, text, contentType, content string
		var size int64
		var blob []byte
		if err := rows.Scan(&kind, &agentID, &text, &blob, &contentType, &content, &size, &pos); err != nil {
			return err
		}
		a := byID[agentID]
		switch kind {
		case 0:
			a.sealedEnv = append(a.sealedEnv, sealedVar{key: text, value: blob})
		case 1:
			f := spec.SandboxFile{Name: text, SandboxPath: string(blob), ContentType: contentType, Size: size, Content: content}
			a.SandboxFiles = placeAt(a.SandboxFiles, pos, f)
		case 2:
			a.SkillIDs = placeAt(a.SkillIDs, pos, text)
		}
		return nil
	})
}

// openSecrets decrypts a's sealed env values into a fresh EnvVars map and
// its repo URL, in place: a cached record is opened on a copy.
func (s *store) openSecrets(a *agentRecord) error {
	if len(a.sealedEnv) > 0 {
		env := make(map[string]string, len(a.sealedEnv))
		for _, v := range a.sealedEnv {
			plain, err := s.sealer.open(v.value, envContext(a.ID, v.key))
			if err != nil {
				return err
			}
			env[v.key] = string(plain)
		}
		a.EnvVars, a.sealedEnv = env, nil
	}
	return s.openRepoURL(a)
}

// placeAt puts v at index pos of list, growing it as needed: parts come
// with their positions, which writeAgentParts numbers 0..n-1, in no
// promised order.
func placeAt[T any](list []T, pos int, v T) []T {
	if pos < 0 {
		pos = len(list)
	}
	if pos >= len(list) {
		list = append(list, make([]T, pos+1-len(list))...)
	}
	list[pos] = v
	return list
}

// eachRow runs a query and calls fn for every row.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// checkSkillsOwned makes sure every skill id exists and may be used by
// owner (its own skills, or shared ones with no owner).
func checkSkillsOwned(ctx context.Context, q querier, owner string, skillIDs []string) error {
	for _, id := range skillIDs {
		var skillOwner string
		err := q.QueryRowContext(ctx, "SELECT owner_id FROM skills WHERE id=?", id).Scan(&skillOwner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && skillOwner != "" && skillOwner != owner) {
			return notFound("skill_ids", "skill %s not found for owner %s: create it with lapctl skills create, or pick one of the owner's skills", id, owner)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

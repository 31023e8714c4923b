package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"lapctl/spec"
)

// sessionRecord is a stored session: the wire session, whose Notice says
// how the server ran it (e.g. a shell instead of a missing harness binary).
type sessionRecord struct {
	spec.Session
	ttyTokenHash string // what is stored of TTYToken (see ttytoken.go)
}

// MarshalJSON writes agent_id as null for a session without an agent,
// as the gateway does.
func (r sessionRecord) MarshalJSON() ([]byte, error) {
	type wire struct {
		spec.Session
		AgentID *string `json:"agent_id"`
	}
	w := wire{Session: r.Session}
	if r.AgentID != "" {
		w.AgentID = &r.AgentID
	}
	return json.Marshal(w)
}

// sessionState is the part of a session the runtime changes as it goes.
type sessionState struct {
	Status        string
	Phase         string
	FailureReason string
	Notice        string
	ExitCode      *int
}

const sessionColumns = `id, agent_id, agent_name, title, harness, kind, status, phase, failure_reason, notice,
	exit_code, environment, tty_token, created_at, updated_at`

func (s *store) insertSession(ctx context.Context, r *sessionRecord) error {
	var env any
	if r.Environment != nil {
		b, err := json.Marshal(environmentAtRest(r.Environment))
		if err != nil {
			return err
		}
		env = string(b)
	}
	var agentID any // NULL for a session of a harness without an agent
	if r.AgentID != "" {
		agentID = r.AgentID
	}
	_, err := s.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.ID, agentID, r.Agent, r.Title, r.Harness, r.Kind, r.Status, r.Phase, r.FailureReason, r.Notice,
		r.ExitCode, env, hashTTYToken(r.TTYToken), r.Time.Created, r.Time.Updated)
	if err == nil {
		s.tokens.set(r.ID, r.TTYToken)
	}
	return err
}

// setSessionState records a runtime change. A session deleted meanwhile
// matches no row, which is fine: there is nothing left to update.
func (s *store) setSessionState(ctx context.Context, id string, st sessionState) error {
	_, err := s.exec(ctx, `UPDATE sessions SET status=?, phase=?, failure_reason=?, notice=?, exit_code=?, updated_at=?
		WHERE id=?`, st.Status, st.Phase, st.FailureReason, st.Notice, st.ExitCode, nowMs(), id)
	return err
}

func (s *store) getSession(ctx context.Context, id string) (*sessionRecord, error) {
	var out []*sessionRecord
	err := eachRow(ctx, s.r, "SELECT "+sessionColumns+" FROM sessions WHERE id=?", []any{id}, scanSessionInto(&out))
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errNotFound
	}
	s.showTokens(out[0])
	return out[0], nil
}

// listSessions returns sessions newest first, optionally of one agent.
func (s *store) listSessions(ctx context.Context, agentID string) ([]*sessionRecord, error) {
	query := "SELECT " + sessionColumns + " FROM sessions"
	var args []any
	if agentID != "" {
		query += " WHERE agent_id = ?"
		args = append(args, agentID)
	}
	var out []*sessionRecord
	err := eachRow(ctx, s.r, query+" ORDER BY created_at DESC, rowid DESC", args, scanSessionInto(&out))
	s.showTokens(out...)
	return out, err
}

func scanSessionInto(out *[]*sessionRecord) func(*sql.Rows) error {
	return func(rows *sql.Rows) error {
		r := &sessionRecord{}
		var exit sql.NullInt64
		var env, agentID sql.NullString
		err := rows.Scan(&r.ID, &agentID, &r.Agent, &r.Title, &r.Harness, &r.Kind, &r.Status, &r.Phase,
			&r.FailureReason, &r.Notice, &exit, &env, &r.TTYToken, &r.Time.Created, &r.Time.Updated)
		if err != nil {
			return err
		}
		if exit.Valid {
			code := int(exit.Int64)
			r.ExitCode = &code
		}
		if env.Valid {
			r.Environment = &spec.SessionEnvironment{}
			if err := json.Unmarshal([]byte(env.String), r.Environment); err != nil {
				return err
			}
		}
		if r.Kind == spec.KindTUI {
			r.TTYURL = ttyPath(r.ID)
		}
		// session.agent is the agent's id, or the harness of a session
		// without one, as on the gateway; rows written before that held
		// the agent's name in agent_name.
		r.AgentID = agentID.String
		r.Agent = r.Harness
		if r.AgentID != "" {
			r.Agent = r.AgentID
		}
		*out = append(*out, r)
		return nil
	}
}

// deleteSession removes a session record and its messages and says
// whether there was one; a missing one is not an error (DELETE
// /session/{id} is idempotent and answers false, as on the gateway).
func (s *store) deleteSession(ctx context.Context, id string) (bool, error) {
	res, err := s.freeing(func() (sql.Result, error) { return s.exec(ctx, "DELETE FROM sessions WHERE id=?", id) })
	if err != nil {
		return false, err
	}
	s.tokens.drop(id)
	n, err := res.RowsAffected()
	return n > 0, err
}

// markSessionsEnded closes every session a previous run left live: its
// process died with that run.
func (s *store) markSessionsEnded(ctx context.Context, reason string) error {
	_, err := s.exec(ctx, `UPDATE sessions SET status=?, phase=?, failure_reason=?, updated_at=?
		WHERE status IN (?,?,?)`, spec.SessionExited, spec.PhaseExited, reason, nowMs(),
		spec.SessionStarting, spec.SessionRunning, spec.SessionIdle)
	return err
}

// addMessages appends messages to a session's history in one transaction,
// so a question is never stored without its answer.
func (s *store) addMessages(ctx context.Context, sessionID string, msgs ...spec.Message) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, m := range msgs {
			parts, err := json.Marshal(m.Parts)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO messages (id, session_id, role, model_id, parts, created_at)
				VALUES (?,?,?,?,?,?)`, m.Info.ID, sessionID, m.Info.Role, m.Info.ModelID, string(parts), m.Info.Created)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// listMessages returns a session's history, oldest first.
func (s *store) listMessages(ctx context.Context, sessionID string) ([]spec.Message, error) {
	out := []spec.Message{}
	err := eachRow(ctx, s.r, "SELECT id, role, model_id, parts, created_at FROM messages WHERE session_id=? ORDER BY seq",
		[]any{sessionID}, func(rows *sql.Rows) error {
			m := spec.Message{Info: spec.MessageInfo{SessionID: sessionID}}
			var parts string
			if err := rows.Scan(&m.Info.ID, &m.Info.Role, &m.Info.ModelID, &parts, &m.Info.Created); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(parts), &m.Parts); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	return out, err
}

// isNotFound reports whether err means a missing row.
func isNotFound(err error) bool { return errors.Is(err, errNotFound) }

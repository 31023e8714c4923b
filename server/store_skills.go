package server

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lapctl/spec"
)

const skillColumns = "id, name, description, content, owner_id, created_at"

func (s *store) createSkill(ctx context.Context, sk *spec.Skill) error {
	_, err := s.exec(ctx, `INSERT INTO skills (id, name, description, content, owner_id, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?)`, sk.ID, sk.Name, sk.Description, sk.Content, sk.OwnerID, sk.CreatedAt, sk.CreatedAt)
	return err
}

func (s *store) getSkill(ctx context.Context, id string) (*spec.Skill, error) {
	return loadSkill(ctx, s.r, id)
}

func loadSkill(ctx context.Context, q querier, id string) (*spec.Skill, error) {
	var sk spec.Skill
	err := q.QueryRowContext(ctx, "SELECT "+skillColumns+" FROM skills WHERE id=?", id).
		Scan(&sk.ID, &sk.Name, &sk.Description, &sk.Content, &sk.OwnerID, &sk.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	return &sk, err
}

// listSkills returns skills oldest first; with an owner, that owner's
// skills and the shared (ownerless) ones, i.e. those its agents may use.
func (s *store) listSkills(ctx context.Context, owner string) ([]spec.Skill, error) {
	query := "SELECT " + skillColumns + " FROM skills"
	var args []any
	if owner != "" {
		query += " WHERE owner_id = ? OR owner_id = ''"
		args = append(args, owner)
	}
	query += " ORDER BY created_at, rowid"
	out := []spec.Skill{}
	err := eachRow(ctx, s.r, query, args, func(rows *sql.Rows) error {
		var sk spec.Skill
		if err := rows.Scan(&sk.ID, &sk.Name, &sk.Description, &sk.Content, &sk.OwnerID, &sk.CreatedAt); err != nil {
			return err
		}
		out = append(out, sk)
		return nil
	})
	return out, err
}

// updateSkill applies change to the stored skill in one transaction. A
// new owner must still own every agent that uses the skill, or those
// agents would hold a skill they may not use.
func (s *store) updateSkill(ctx context.Context, id string, change func(sk *spec.Skill) error) (*spec.Skill, error) {
	var out *spec.Skill
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		sk, err := loadSkill(ctx, tx, id)
		if err != nil {
			return err
		}
		oldOwner := sk.OwnerID
		if err := change(sk); err != nil {
			return err
		}
		if sk.OwnerID != oldOwner && sk.OwnerID != "" {
			users, err := skillUsers(ctx, tx, id, "AND a.owner_id <> ?", sk.OwnerID)
			if err != nil {
				return err
			}
			if len(users) > 0 {
				return conflict("skill %s is used by agents of other owners (%s): remove it from them before changing its owner_id",
					id, strings.Join(users, ", "))
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE skills SET name=?, description=?, content=?, owner_id=?, updated_at=? WHERE id=?",
			sk.Name, sk.Description, sk.Content, sk.OwnerID, nowMs(), id)
		out = sk
		return err
	})
	return out, err
}

// deleteSkill removes a skill no agent uses; otherwise 409 naming them.
func (s *store) deleteSkill(ctx context.Context, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		users, err := skillUsers(ctx, tx, id, "")
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return conflict("skill %s is used by %s: remove it from their skill_ids first (lapctl agents edit)",
				id, strings.Join(users, ", "))
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM skills WHERE id=?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotFound
		}
		return nil
	})
}

// skillUsers names the agents using a skill as "name (id)".
func skillUsers(ctx context.Context, q querier, skillID, extra string, args ...any) ([]string, error) {
	var users []string
	err := eachRow(ctx, q, `SELECT DISTINCT a.name, a.id FROM agent_skills s JOIN agents a ON a.id = s.agent_id
		WHERE s.skill_id = ? `+extra+` ORDER BY a.name`, append([]any{skillID}, args...), func(rows *sql.Rows) error {
		var name, id string
		if err := rows.Scan(&name, &id); err != nil {
			return err
		}
		users = append(users, name+" ("+id+")")
		return nil
	})
	return users, err
}

// skillContents returns the content of each skill id, for building a
// session's prompt.
func (s *store) skillContents(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		sk, err := s.getSkill(ctx, id)
		if errors.Is(err, errNotFound) {
			continue // deleted skills cannot be referenced; nothing to add
		}
		if err != nil {
			return nil, err
		}
		out[id] = sk.Content
	}
	return out, nil
}

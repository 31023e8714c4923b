package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// sweepSessionDirs removes session directories that belong to no session
// record: left by a crash between delete and cleanup, or by an agent
// delete, whose session records went with it. Their files may hold
// secrets and nothing can reach them any more. Live sessions (registered
// before their record is written) are kept.
func (rt *sessionRuntime) sweepSessionDirs(ctx context.Context) {
	root := filepath.Join(rt.dataDir, "sessions")
	entries, err := os.ReadDir(root)
	if err != nil {
		return // no sessions yet
	}
	known, err := rt.store.sessionIDs(ctx)
	if err != nil {
		rt.log.Warn("sweeping session dirs", "err", err)
		return
	}
	for _, e := range entries {
		id := e.Name()
		if !e.IsDir() || !strings.HasPrefix(id, prefixSession) || known[id] || rt.lookup(id) != nil {
			continue
		}
		rt.removeDir(id)
		rt.log.Info("removed the directory of a deleted session", "session", id)
	}
}

// sessionIDs is the set of every session id on record.
func (s *store) sessionIDs(ctx context.Context) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id FROM sessions")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
}

package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
)

// ttyHashPrefix marks a stored tty token hash. Only the hash is stored: a
// copied database opens no terminal. The token itself lives in memory
// while its session runs, the only time it can open one.
const ttyHashPrefix = "sha256:"

func hashTTYToken(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return ttyHashPrefix + hex.EncodeToString(sum[:])
}

// ttyTokenMatchesHash checks the token a request carries against a stored
// hash, for a session that is no longer live here.
func ttyTokenMatchesHash(r *http.Request, hash string) bool {
	if !strings.HasPrefix(hash, ttyHashPrefix) {
		return false
	}
	candidates := presentedKeys(r)
	if q := r.URL.Query().Get("token"); q != "" {
		candidates = append(candidates, q)
	}
	ok := false
	for _, c := range candidates {
		if subtle.ConstantTimeCompare([]byte(hashTTYToken(c)), []byte(hash)) == 1 {
			ok = true
		}
	}
	return ok
}

// liveTokens are the tty tokens of this run's sessions, which responses
// show; the database has only their hashes.
type liveTokens struct{ m sync.Map }

func (t *liveTokens) get(id string) string {
	v, _ := t.m.Load(id)
	s, _ := v.(string)
	return s
}

func (t *liveTokens) set(id, token string) {
	if token != "" {
		t.m.Store(id, token)
	}
}

func (t *liveTokens) drop(id string) { t.m.Delete(id) }

// showTokens puts the live tokens back into records read from disk.
func (s *store) showTokens(recs ...*sessionRecord) {
	for _, r := range recs {
		r.ttyTokenHash, r.TTYToken = r.TTYToken, s.tokens.get(r.ID)
	}
}

// hashLegacyTTYTokens replaces tokens an older lapctl stored in clear.
func (s *store) hashLegacyTTYTokens(ctx context.Context) error {
	rows, err := s.w.QueryContext(ctx, "SELECT id, tty_token FROM sessions WHERE tty_token != '' AND tty_token NOT LIKE 'sha256:%'")
	if err != nil {
		return err
	}
	clear := map[string]string{}
	for rows.Next() {
		var id, token string
		if err := rows.Scan(&id, &token); err != nil {
			rows.Close()
			return err
		}
		clear[id] = token
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, token := range clear {
		if _, err := s.w.ExecContext(ctx, "UPDATE sessions SET tty_token=? WHERE id=?", hashTTYToken(token), id); err != nil {
			return err
		}
	}
	return nil
}

package server

import (
	"encoding/base64"
	"strings"

	"lapctl/secret"
	"lapctl/spec"
)

// sealedPrefix marks a column value encrypted with the data dir's key.
const sealedPrefix = "sealed:v1:"

// repoURLContext binds a sealed repo_url to its agent.
func repoURLContext(agentID string) []byte { return []byte("agent_repo_url\x00" + agentID) }

// atRest is a as it is written to disk: a repo_url holding credentials is
// encrypted like env values, so a copied lapctl.db alone reveals no token.
func (s *store) atRest(a *agentRecord) *agentRecord {
	if !secret.HasURLCredentials(a.RepoURL) {
		return a
	}
	cp := *a
	cp.RepoURL = sealedPrefix + base64.StdEncoding.EncodeToString(s.sealer.seal([]byte(a.RepoURL), repoURLContext(a.ID)))
	return &cp
}

// openRepoURL decrypts a's repo_url if it is sealed, as read from disk.
func (s *store) openRepoURL(a *agentRecord) error {
	enc, ok := strings.CutPrefix(a.RepoURL, sealedPrefix)
	if !ok {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return err
	}
	plain, err := s.sealer.open(raw, repoURLContext(a.ID))
	if err != nil {
		return err
	}
	a.RepoURL = string(plain)
	return nil
}

// environmentAtRest is a session's environment as stored and shown: the
// start plan already holds the repository it clones, so the record keeps
// its credentials masked.
func environmentAtRest(e *spec.SessionEnvironment) *spec.SessionEnvironment {
	if e == nil || !secret.HasURLCredentials(e.Repository) {
		return e
	}
	cp := *e
	cp.Repository = secret.MaskURL(e.Repository)
	return &cp
}

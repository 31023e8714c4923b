package sshserve

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// OwnerEnv is the variable an authorized_keys line sets, in an OpenSSH
// environment="..." option, to map its key to a platform owner:
//
//	environment="LAPCTL_OWNER=alice" ssh-ed25519 AAAA... alice@laptop
//
// The option is standard syntax, so the same file stays valid for sshd.
const OwnerEnv = "LAPCTL_OWNER"

// authorizedKey is one usable line of the file.
type authorizedKey struct {
	key   gossh.PublicKey
	owner string // "" when the line carries no mapping
}

// keyring answers "may this key log in, and as whom" from the
// authorized_keys file. The file is read on every authentication: logins
// are rare and the file small, and an edit (a key revoked) must take
// effect on the next login, with no reload step to forget.
type keyring struct {
	path string
	log  *slog.Logger

	mu     sync.Mutex
	warned [sha256.Size]byte // the content whose problems were last logged
}

// load reads and parses the file. A file others may write is refused as a
// whole: anyone who can edit it can let themselves in.
func (k *keyring) load() ([]authorizedKey, error) {
	info, err := os.Stat(k.path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("authorized keys %s is not a regular file", k.path)
	}
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return nil, fmt.Errorf("authorized keys %s has mode %04o: others may add keys to it (chmod 600 %s)", k.path, perm, k.path)
	}
	data, err := os.ReadFile(k.path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	keys, problems := parseAuthorizedKeys(data)
	k.report(data, problems)
	return keys, nil
}

// report logs a file's problems once per distinct content, not once per
// login attempt.
func (k *keyring) report(data []byte, problems []string) {
	if len(problems) == 0 {
		return
	}
	sum := sha256.Sum256(data)
	k.mu.Lock()
	defer k.mu.Unlock()
	if sum == k.warned {
		return
	}
	k.warned = sum
	for _, p := range problems {
		k.log.Warn("authorized keys: line skipped", "file", k.path, "problem", p)
	}
}

// lookup finds key in the file. An unreadable file refuses everyone.
func (k *keyring) lookup(key gossh.PublicKey) (owner string, ok bool, err error) {
	keys, err := k.load()
	if err != nil {
		return "", false, err
	}
	want := key.Marshal()
	for _, ak := range keys {
		if bytes.Equal(ak.key.Marshal(), want) {
			return ak.owner, true, nil // the first line wins, as in sshd
		}
	}
	return "", false, nil
}

// parseAuthorizedKeys reads OpenSSH authorized_keys lines. A line it cannot
// use is skipped and described in problems; the others still count, as
// sshd does.
func parseAuthorizedKeys(data []byte) (keys []authorizedKey, problems []string) {
	for i, raw := range bytes.Split(data, []byte{'\n'}) {
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", i+1, err))
			continue
		}
		owner, err := ownerOption(options)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", i+1, err))
			continue
		}
		keys = append(keys, authorizedKey{key: key, owner: owner})
	}
	return keys, problems
}

// harmlessOptions restrict what lapctl never offers (forwarding, user rc
// files), so they hold without lapctl doing anything.
var harmlessOptions = map[string]bool{
	"no-port-forwarding": true, "no-agent-forwarding": true, "no-x11-forwarding": true,
	"no-user-rc": true, "permitopen": true, "permitlisten": true,
}

// ownerOption finds environment="LAPCTL_OWNER=..." among a line's options.
// Any other option that restricts the key (from=, command=, no-pty,
// restrict, expiry-time=, cert-authority...) makes lapctl skip the line:
// it does not enforce them, and ignoring one would give the key more than
// its line allows.
func ownerOption(options []string) (string, error) {
	owner, found := "", false
	for _, opt := range options {
		name, value, _ := strings.Cut(opt, "=")
		name = strings.ToLower(name)
		if harmlessOptions[name] {
			continue
		}
		if name != "environment" {
			return "", fmt.Errorf("option %s is not supported by lapctl ssh-serve: remove it to allow this key", name)
		}
		env, err := unquoteOption(value)
		if err != nil {
			return "", err
		}
		k, v, _ := strings.Cut(env, "=")
		if k != OwnerEnv {
			continue
		}
		if err := validOwner(v); err != nil {
			return "", err
		}
		if found && v != owner {
			return "", fmt.Errorf("two different %s values (%q and %q)", OwnerEnv, owner, v)
		}
		owner, found = v, true
	}
	return owner, nil
}

// unquoteOption reads an option value: "text", where \" stands for ".
func unquoteOption(v string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", fmt.Errorf("option value %s must be in double quotes", v)
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), nil
}

// validOwner refuses owner ids that would be mistaken for "no mapping" or
// garble logs and queries. A broken mapping must never fall back to the
// operator's own, wider, access.
func validOwner(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%s is empty: give the owner id, or drop the option", OwnerEnv)
	case strings.TrimSpace(v) != v:
		return fmt.Errorf("%s %q has leading or trailing spaces", OwnerEnv, v)
	case len(v) > 256:
		return fmt.Errorf("%s is longer than 256 bytes", OwnerEnv)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fmt.Errorf("%s %q holds control characters", OwnerEnv, v)
	}
	return nil
}

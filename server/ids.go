package server

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/hex"
	"time"
)

// idEncoding spells ids in lowercase so they read well in URLs and logs.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Id prefixes of the contract (msg_ is the message ids of session history).
const (
	prefixAgent   = "agent_"
	prefixSkill   = "skill_"
	prefixSession = "ses_"
	prefixMessage = "msg_"
)

// newID returns prefix + 20 random base32 characters (100 bits), enough
// that ids never collide and cannot be guessed.
func newID(prefix string) string {
	var b [13]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return prefix + idEncoding.EncodeToString(b[:])[:20]
}

// newToken returns 32 random bytes in hex: a session's tty_token.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newRequestID returns a short random id that ties a log line to the
// X-Request-Id header a user can quote.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// nowMs is the contract's clock: Unix epoch milliseconds.
func nowMs() int64 { return time.Now().UnixMilli() }

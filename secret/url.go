package secret

import "regexp"

// urlUserinfo matches the user:password@ (or token@) part of a URL, with
// the scheme kept in group 1. A token may sit in either half, so the
// whole userinfo goes.
var urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/\s@?#]+@`)

// MaskURL hides the credentials in a URL ("https://user:TOKEN@host/x" →
// "https://****@host/x"). Other strings are returned as they are.
func MaskURL(raw string) string { return MaskURLs(raw) }

// MaskURLs hides the credentials of every URL in a text (an error message,
// a log line, git's stderr).
func MaskURLs(text string) string {
	return urlUserinfo.ReplaceAllString(text, "${1}****@")
}

// HasURLCredentials reports whether text holds a URL with credentials.
func HasURLCredentials(text string) bool { return urlUserinfo.MatchString(text) }

// Redact hides a key completely, for debug output: even a prefix helps
// someone guessing a short key.
func Redact(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}

// StripURLCredentials removes the userinfo of a URL entirely, for places
// that need the URL but not its credentials.
func StripURLCredentials(raw string) string {
	return urlUserinfo.ReplaceAllString(raw, "${1}")
}

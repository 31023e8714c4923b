package ptyattach

import (
	"fmt"
	"strings"
)

// DefaultDetachKeys is the detach sequence when none is configured: telnet's
// and virsh console's escape, which no shell or editor binds.
const DefaultDetachKeys = "ctrl-]"

// ParseDetachKeys reads a detach sequence in docker's syntax: keys
// separated by commas, each a single character, ctrl-X where X is a
// letter or one of @ [ \ ] ^ _, or DEL (byte 127, as FormatDetachKeys
// prints it). An empty string is DefaultDetachKeys.
func ParseDetachKeys(s string) ([]byte, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultDetachKeys
	}
	var out []byte
	for _, key := range strings.Split(s, ",") {
		b, err := parseKey(strings.TrimSpace(key))
		if err != nil {
			return nil, fmt.Errorf("invalid detach keys %q: %w (use e.g. ctrl-] or ctrl-p,ctrl-q)", s, err)
		}
		out = append(out, b)
	}
	return out, nil
}

func parseKey(key string) (byte, error) {
	if len(key) == 1 {
		return key[0], nil
	}
	if len(key) == 0 {
		return 0, fmt.Errorf("empty key")
	}
	lower := strings.ToLower(key)
	if lower == "del" {
		return 127, nil
	}
	if !strings.HasPrefix(lower, "ctrl-") || len(lower) != len("ctrl-")+1 {
		return 0, fmt.Errorf("unknown key %q", key)
	}
	c := lower[len(lower)-1]
	switch {
	case c >= 'a' && c <= 'z':
		return c - 'a' + 1, nil
	case c == '@', c == '[', c == '\\', c == ']', c == '^', c == '_':
		return c - '@', nil
	}
	return 0, fmt.Errorf("unknown key %q", key)
}

// FormatDetachKeys writes a sequence back in docker's syntax, for hints.
func FormatDetachKeys(keys []byte) string {
	parts := make([]string, len(keys))
	for i, b := range keys {
		switch {
		case b < 32:
			parts[i] = "ctrl-" + strings.ToLower(string(rune(b+'@')))
		case b == 127:
			parts[i] = "DEL"
		default:
			parts[i] = string(rune(b))
		}
	}
	return strings.Join(parts, ",")
}

package cmdutil

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// ParseKeyValues reads repeated KEY=VALUE flag values into a map; later
// values win. flag names the flag in errors. Key names are checked by the
// spec rules later, so the error names the field and the rule.
func ParseKeyValues(flag string, vals []string) (map[string]string, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(vals))
	for _, kv := range vals {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, FlagErrorf("%s %q: want KEY=VALUE", flag, kv)
		}
		out[k] = v
	}
	return out, nil
}

// ParseEnvFile reads a .env file: KEY=VALUE lines, blank lines and #
// comments, an optional "export " prefix, and single- or double-quoted
// values (double quotes understand Go escapes such as \n).
func ParseEnvFile(name string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE, got %q", name, n, line)
		}
		v, err := unquote(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", name, n, k, err)
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

func unquote(v string) (string, error) {
	if len(v) >= 2 {
		switch {
		case v[0] == '"' && v[len(v)-1] == '"':
			s, err := strconv.Unquote(v)
			if err != nil {
				return "", fmt.Errorf("bad double-quoted value %s", v)
			}
			return s, nil
		case v[0] == '\'' && v[len(v)-1] == '\'':
			return v[1 : len(v)-1], nil
		}
	}
	// An unquoted value may end in a comment, as in most .env dialects.
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v, nil
}

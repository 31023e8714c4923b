package sshserve

import "strings"

// passEnv are the client variables a session may see. Only presentation
// passes: LITELLM_API_BASE, LITELLM_MASTER_KEY, LAPCTL_CONTEXT,
// LAPCTL_CONFIG, HOME and the like would let a remote user steer where the
// operator's key is sent, or which config is read.
var passEnv = map[string]bool{
	"TERM": true, "COLORTERM": true, "COLORFGBG": true,
	"NO_COLOR": true, "CLICOLOR": true, "CLICOLOR_FORCE": true,
	"COLUMNS": true, "LINES": true, "ACCESSIBLE": true,
	"LANG": true, "LC_ALL": true, "LC_CTYPE": true, "TZ": true,
}

// environ is a filtered "KEY=value" list.
type environ []string

func filterEnv(kvs []string) environ {
	var out environ
	for _, kv := range kvs {
		if k, _, ok := strings.Cut(kv, "="); ok && passEnv[k] {
			out = append(out, kv)
		}
	}
	return out
}

// Environ is a copy of the list.
func (e environ) Environ() []string { return append([]string(nil), e...) }

// Getenv reads one variable; the last setting wins, as in a shell.
func (e environ) Getenv(key string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if k, v, _ := strings.Cut(e[i], "="); k == key {
			return v
		}
	}
	return ""
}

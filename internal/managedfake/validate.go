package managedfake

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
)

// issue is one zod issue.
type issue struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var reservedKeys = []string{"REPO_URL", "BRANCH", "LITELLM_API_KEY", "LITELLM_API_BASE", "LITELLM_DEFAULT_MODEL",
	"AGENT_PROMPT", "PORT", "GIT_TOKEN", "AGENT_REQUIREMENTS"}

// validateEnv is the env_vars refinements of types.ts.
func validateEnv(v any, issues *[]issue) map[string]any {
	if v == nil {
		return nil
	}
	env, ok := v.(map[string]any)
	if !ok {
		*issues = append(*issues, issue{"invalid_type", "Expected object, received " + jsType(v), []any{"env_vars"}})
		return nil
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !envNameRE.MatchString(k) {
			*issues = append(*issues, issue{"invalid_string", "invalid env var name", []any{"env_vars", k}})
		}
		if _, isStr := env[k].(string); !isStr {
			*issues = append(*issues, issue{"invalid_type", "Expected string, received " + jsType(env[k]), []any{"env_vars", k}})
		}
	}
	if len(env) > 50 {
		*issues = append(*issues, issue{"custom", "env_vars: max 50 keys", []any{"env_vars"}})
	}
	data, _ := json.Marshal(env)
	if len(utf16.Encode([]rune(string(data)))) > 16384 {
		*issues = append(*issues, issue{"custom", "env_vars: total size must be ≤ 16384 bytes", []any{"env_vars"}})
	}
	for _, k := range keys {
		if slices.Contains(reservedKeys, k) {
			*issues = append(*issues, issue{"custom", "env_vars cannot override reserved keys: " + strings.Join(reservedKeys, ", "), []any{"env_vars"}})
			break
		}
	}
	return env
}

func jsType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	}
	return "object"
}

func validateFiles(v any, issues *[]issue) []any {
	if v == nil {
		return nil
	}
	files, ok := v.([]any)
	if !ok {
		*issues = append(*issues, issue{"invalid_type", "Expected array, received " + jsType(v), []any{"sandbox_files"}})
		return nil
	}
	total := 0
	for i, f := range files {
		m, _ := f.(map[string]any)
		if s, _ := m["name"].(string); s == "" {
			*issues = append(*issues, issue{"too_small", "String must contain at least 1 character(s)", []any{"sandbox_files", i, "name"}})
		}
		if p, _ := m["sandbox_path"].(string); p == "" || (p[0] != '/' && p[0] != '~') {
			*issues = append(*issues, issue{"invalid_string", "sandbox_path must start with / or ~", []any{"sandbox_files", i, "sandbox_path"}})
		}
		c, _ := m["content"].(string)
		if c == "" {
			*issues = append(*issues, issue{"too_small", "String must contain at least 1 character(s)", []any{"sandbox_files", i, "content"}})
		}
		total += len(c)
		if sz, ok := m["size"].(float64); !ok || sz < 0 || sz != float64(int64(sz)) {
			*issues = append(*issues, issue{"invalid_type", "Expected integer ≥ 0", []any{"sandbox_files", i, "size"}})
		}
		if _, ok := m["content_type"].(string); !ok && m != nil {
			m["content_type"] = "application/octet-stream"
		}
	}
	if len(files) > 20 {
		*issues = append(*issues, issue{"too_big", "sandbox_files: max 20 files", []any{"sandbox_files"}})
	}
	if total > 10*1024*1024 {
		*issues = append(*issues, issue{"custom", "sandbox_files: total base64 size must be ≤ 10 MB", []any{"sandbox_files"}})
	}
	return files
}

func strList(b map[string]any, key string, issues *[]issue) []any {
	v, ok := b[key]
	if !ok || v == nil {
		return []any{}
	}
	l, ok := v.([]any)
	if !ok {
		*issues = append(*issues, issue{"invalid_type", "Expected array, received " + jsType(v), []any{key}})
		return nil
	}
	for i, e := range l {
		if _, isStr := e.(string); !isStr {
			*issues = append(*issues, issue{"invalid_type", "Expected string, received " + jsType(e), []any{key, i}})
		}
	}
	return l
}

func optString(b map[string]any, key string, issues *[]issue) (string, bool) {
	v, ok := b[key]
	if !ok || v == nil {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		*issues = append(*issues, issue{"invalid_type", "Expected string, received " + jsType(v), []any{key}})
	}
	return s, isStr
}

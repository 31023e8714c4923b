// Package secret masks secrets (master keys, tokens, env var values,
// credentials in URLs) for display and logs, so no view or log line ever
// carries one in full. It imports only the standard library.
package secret

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Mask hides all of s but, for long values, a short prefix that helps an
// operator tell two keys apart ("sk-l****"). Short values are fully hidden.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if len(s) < 12 {
		return "****"
	}
	return s[:4] + "****"
}

// MaskEnv returns a copy of env with every value masked.
func MaskEnv(env map[string]string) map[string]string {
	if env == nil {
		return nil
	}
	out := make(map[string]string, len(env))
	for k, v := range env {
		out[k] = MaskValue(v)
	}
	return out
}

// MaskValue hides an env var value completely, keeping only its length so
// the operator can see it is set.
func MaskValue(v string) string {
	if v == "" {
		return ""
	}
	return strings.Repeat("•", min(len(v), 8))
}

// secretKeys are JSON object keys whose string values are secrets.
var secretKeys = map[string]bool{
	"tty_token": true, "master_key": true, "api_key": true, "token": true, "password": true,
}

// longKeys are JSON object keys whose values are bulky (base64 content)
// and are cut short in debug output.
var longKeys = map[string]bool{"content": true}

// MaskJSON rewrites a JSON document for debug output: env var values and
// secret fields are masked and bulky content is cut short. Input that is
// not JSON is returned cut to a readable length.
func MaskJSON(body []byte) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		if len(body) > 512 {
			return append(append([]byte{}, body[:512]...), "…"...)
		}
		return body
	}
	out, err := json.Marshal(maskValue("", v, true))
	if err != nil {
		return []byte("(unprintable body)")
	}
	return out
}

// MaskDoc masks a decoded JSON document in place for output: env var
// values, secret fields and credentials in URLs, wherever they are.
func MaskDoc(v any) any { return maskValue("", v, false) }

// maskValue masks v, found under key; cut also shortens bulky content.
func maskValue(key string, v any, cut bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if k == "env_vars" {
				if env, ok := child.(map[string]any); ok {
					for ek, ev := range env {
						if s, ok := ev.(string); ok {
							env[ek] = MaskValue(s)
						}
					}
					continue
				}
			}
			t[k] = maskValue(k, child, cut)
		}
		return t
	case []any:
		for i := range t {
			t[i] = maskValue(key, t[i], cut)
		}
		return t
	case string:
		if secretKeys[key] {
			return Redact(t)
		}
		t = MaskURLs(t)
		if cut && longKeys[key] && len(t) > 48 {
			return t[:48] + "…"
		}
		return t
	}
	return v
}

package spec_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"lapctl/spec"
)

// checkValidateResult asserts the shape every Validate result has: nil, or
// a non-empty spec.Errors of complete FieldErrors.
func checkValidateResult(t *testing.T, what string, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var es spec.Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("%s: Validate returned %T %v, want spec.Errors", what, err, err)
	}
	var keys []string
	for _, e := range es {
		if e == nil || e.Field == "" || e.Rule == "" || e.Message == "" {
			t.Fatalf("%s: incomplete FieldError %+v", what, e)
		}
		keys = append(keys, e.Field+" "+e.Rule)
	}
	return keys
}

func FuzzAgentSpecValidate(f *testing.F) {
	good := validSpec()
	goodJSON, _ := json.Marshal(good)
	f.Add(goodJSON)
	for _, seed := range []string{
		`{}`,
		`null`,
		`[]`,
		`{"name":"a","owner_id":"o"}`,
		`{"name":" ","owner_id":""}`,
		`{"name":"a","owner_id":"o","runtime":""}`,
		`{"name":"a","owner_id":"o","runtime":null}`,
		`{"name":"a","owner_id":"o","tools":"bash"}`,
		`{"name":"a","owner_id":"o","tools":[{"type":"bash"}]}`,
		`{"name":"a","owner_id":"o","repo_url":"git@github.com:a/b.git","branch":"dev"}`,
		`{"name":"a","owner_id":"o","repo_url":"ftp://x/y"}`,
		`{"name":"a","owner_id":"o","env_vars":{"PORT":"1","GIT_TOKEN":"x","1A":"","":"e","É":"u"}}`,
		`{"name":"a","owner_id":"o","env_vars":{"A":"<>&é"}}`,
		`{"name":"a","owner_id":"o","sandbox_files":[{"name":"n","sandbox_path":"~/n","content":"YWJj","size":3}]}`,
		`{"name":"a","owner_id":"o","sandbox_files":[{"name":"","sandbox_path":"n/","content":"YW=j","size":-1}]}`,
		`{"name":"a","owner_id":"o","sandbox_files":[{"name":"n","sandbox_path":"/n","content":"YWJj\r\nYWJj\n","size":6}]}`,
		`{"name":"a","owner_id":"o","sandbox_files":[{"name":"n","sandbox_path":"/n","content":"====","size":0}]}`,
		`{"name":"a","owner_id":"o","sandbox_files":[{"name":"n","sandbox_path":"/n","content":"\n\n\n","size":0}]}`,
		`{"name":"a","owner_id":"o","sandbox_files":[{"name":"n","sandbox_path":"/n","size":9223372036854775807}]}`,
		`{"name":"a","owner_id":"o","config":{"runtime":"local","n":1.5},"skill_ids":["skill_1"],"mcp_servers":["x"]}`,
		`{"name":1}`,
		`{"env_vars":[]}`,
		`{"sandbox_files":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s spec.AgentSpec
		if json.Unmarshal(data, &s) == nil {
			first := checkValidateResult(t, "AgentSpec", s.Validate())
			// What Validate says survives the trip through JSON the client
			// makes before the server validates again.
			if b, err := json.Marshal(&s); err == nil {
				var again spec.AgentSpec
				if err := json.Unmarshal(b, &again); err != nil {
					t.Fatalf("re-decoding %s: %v", b, err)
				}
				second := checkValidateResult(t, "AgentSpec round trip", again.Validate())
				if !slices.Equal(first, second) {
					t.Fatalf("Validate changed across a JSON round trip:\n%v\n%v\nbody %s", first, second, b)
				}
			}
			s.Normalize()
		}
		var p spec.AgentPatch
		if json.Unmarshal(data, &p) == nil {
			checkValidateResult(t, "AgentPatch", p.Validate())
		}
		var ss spec.SessionSpec
		if json.Unmarshal(data, &ss) == nil {
			checkValidateResult(t, "SessionSpec", ss.Validate())
		}
	})
}

// envKeyOracle is the contract's rule written out by hand:
// ^[A-Za-z_][A-Za-z0-9_]*$ and not reserved.
func envKeyOracle(key string) (pattern, reserved bool) {
	if key == "" {
		return false, false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
		digit := c >= '0' && c <= '9'
		if !letter && (i == 0 || !digit) {
			return false, false
		}
	}
	switch key {
	case "REPO_URL", "BRANCH", "LITELLM_API_KEY", "LITELLM_API_BASE",
		"LITELLM_DEFAULT_MODEL", "AGENT_PROMPT", "PORT", "GIT_TOKEN", "AGENT_REQUIREMENTS":
		return true, true
	}
	return true, false
}

func FuzzEnvKey(f *testing.F) {
	for _, seed := range []string{"", "A", "_", "a1", "1a", "A-B", "É", "PORT", "GIT_TOKEN", "A\n", "A\x00", "GITHUB_TOKEN"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, key string) {
		e := spec.ValidateEnvKey("env_vars", key)
		pattern, reserved := envKeyOracle(key)
		var wantRule string
		switch {
		case !pattern:
			wantRule = spec.RuleKeyPattern
		case reserved:
			wantRule = spec.RuleReserved
		}
		switch {
		case wantRule == "" && e != nil:
			t.Fatalf("ValidateEnvKey(%q) = %v, want valid", key, e)
		case wantRule != "" && e == nil:
			t.Fatalf("ValidateEnvKey(%q) = nil, want %s", key, wantRule)
		case e != nil && (e.Rule != wantRule || e.Field != "env_vars."+key || e.Message == ""):
			t.Fatalf("ValidateEnvKey(%q) = %+v, want rule %s", key, *e, wantRule)
		}
		// The map validator agrees with the single-key one.
		es := spec.ValidateEnvVars("env_vars", map[string]string{key: "v"})
		if (len(es) == 0) != (e == nil) {
			t.Fatalf("ValidateEnvVars disagrees for %q: %v vs %v", key, es, e)
		}
	})
}

// BenchmarkValidateLargeSpec validates the largest spec the contract
// allows: 50 env vars filling 16 KiB and 20 files filling 10 MiB of base64.
func BenchmarkValidateLargeSpec(b *testing.B) {
	s := spec.AgentSpec{
		Name: "big", OwnerID: "o", RepoURL: "https://github.com/acme/app.git",
		Tools:   json.RawMessage(`[{"type":"bash"}]`),
		EnvVars: envOfSize(b, spec.MaxEnvVars, spec.MaxEnvBytes, ""),
	}
	per := spec.MaxFilesBase64 / spec.MaxSandboxFiles / 4 * 3 // bytes per file
	data := bytes.Repeat([]byte{0x00, 0x7f, 0xff}, per/3)
	content := base64.StdEncoding.EncodeToString(data)
	for i := range spec.MaxSandboxFiles {
		s.SandboxFiles = append(s.SandboxFiles, spec.SandboxFile{
			Name: fmt.Sprintf("f%d", i), SandboxPath: fmt.Sprintf("/data/f%d.bin", i),
			Content: content, Size: int64(len(data)),
		})
	}
	if total := spec.FilesBase64Total(s.SandboxFiles); total != spec.MaxFilesBase64 {
		b.Fatalf("setup: %d base64 characters, want %d", total, spec.MaxFilesBase64)
	}
	if err := s.Validate(); err != nil {
		b.Fatalf("large spec invalid: %v", err)
	}
	b.SetBytes(int64(spec.MaxFilesBase64 + spec.MaxEnvBytes))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

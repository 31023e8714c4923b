package spec_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"lapctl/spec"
)

func ptr[T any](v T) *T { return &v }

// validSpec is an agent that breaks no rule; each test breaks one thing.
func validSpec() spec.AgentSpec {
	return spec.AgentSpec{
		Name:     "reviewer",
		OwnerID:  "user_1",
		Model:    "anthropic/claude-sonnet-4-6",
		Harness:  "claude-code",
		RepoURL:  "https://github.com/acme/app.git",
		EnvVars:  map[string]string{"GITHUB_TOKEN": "ghp_x"},
		SkillIDs: []string{"skill_1"},
		SandboxFiles: []spec.SandboxFile{
			fileOf("notes", "~/notes.md", []byte("hello")),
		},
	}
}

// fileOf is a valid sandbox file holding data.
func fileOf(name, path string, data []byte) spec.SandboxFile {
	return spec.SandboxFile{
		Name:        name,
		SandboxPath: path,
		Content:     base64.StdEncoding.EncodeToString(data),
		Size:        int64(len(data)),
	}
}

// fieldErrors turns a Validate result into its FieldErrors, failing the
// test when err is not a spec.Errors.
func fieldErrors(t *testing.T, err error) spec.Errors {
	t.Helper()
	if err == nil {
		return nil
	}
	var es spec.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T) is not spec.Errors", err, err)
	}
	if len(es) == 0 {
		t.Fatalf("Validate returned an empty, non-nil spec.Errors")
	}
	for _, e := range es {
		if e.Field == "" || e.Rule == "" || e.Message == "" {
			t.Errorf("incomplete FieldError %+v", *e)
		}
	}
	return es
}

func describe(es spec.Errors) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("{%s %s %q}", e.Field, e.Rule, e.Message))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// wantValid fails unless err is a nil interface (not a typed nil).
func wantValid(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("want valid, got %s", describe(fieldErrors(t, err)))
	}
}

// wantOnly asserts err holds exactly one FieldError with field and rule,
// and returns it.
func wantOnly(t *testing.T, err error, field, rule string) *spec.FieldError {
	t.Helper()
	if err == nil {
		t.Fatalf("want exactly {%s %s}, got no error", field, rule)
	}
	es := fieldErrors(t, err)
	if len(es) != 1 || es[0].Field != field || es[0].Rule != rule {
		t.Fatalf("want exactly {%s %s}, got %s", field, rule, describe(es))
	}
	return es[0]
}

func wantMessage(t *testing.T, e *spec.FieldError, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(e.Message, s) {
			t.Errorf("message %q of %s does not contain %q", e.Message, e.Field, s)
		}
	}
}

// compactJSONSize computes, independently of spec.EnvJSONSize, the size of
// {"k":"v",...} for keys and values that need no JSON escaping.
func compactJSONSize(env map[string]string) int {
	if len(env) == 0 {
		return 0
	}
	n := 2 + len(env) - 1 // braces and commas
	for k, v := range env {
		n += len(k) + len(v) + 5 // two pairs of quotes and a colon
	}
	return n
}

// envOfSize builds count keys (K00, K01…) whose compact JSON encoding is
// exactly size bytes; prefix starts the first value and must need no
// escaping.
func envOfSize(t testing.TB, count, size int, prefix string) map[string]string {
	t.Helper()
	env := make(map[string]string, count)
	for i := range count {
		env[fmt.Sprintf("K%02d", i)] = "v"
	}
	pad := size - compactJSONSize(env) + 1 - len(prefix)
	if pad < 0 {
		t.Fatalf("cannot build %d keys in %d bytes", count, size)
	}
	env["K00"] = prefix + strings.Repeat("x", pad)
	if got := compactJSONSize(env); got != size {
		t.Fatalf("envOfSize built %d bytes, want %d", got, size)
	}
	return env
}

func manyKeys(n int) map[string]string {
	env := make(map[string]string, n)
	for i := range n {
		env[fmt.Sprintf("VAR_%d", i)] = "1"
	}
	return env
}

package spec_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"lapctl/spec"
)

func TestSkillSpecValidate(t *testing.T) {
	wantValid(t, (&spec.SkillSpec{Name: "review", Content: "Check tests."}).Validate())
	wantValid(t, (&spec.SkillSpec{Name: "r", Content: "c", Description: "", OwnerID: ""}).Validate())
	for _, tc := range []struct {
		desc          string
		name, content string
		field         string
	}{
		{"empty name", "", "c", "name"},
		{"blank name", " \n", "c", "name"},
		{"empty content", "n", "", "content"},
		{"blank content", "n", "\t \n", "content"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			e := wantOnly(t, (&spec.SkillSpec{Name: tc.name, Content: tc.content}).Validate(), tc.field, spec.RuleRequired)
			wantMessage(t, e, tc.field+" is required")
		})
	}
	es := fieldErrors(t, (&spec.SkillSpec{}).Validate())
	if len(es) != 2 || es[0].Field != "name" || es[1].Field != "content" {
		t.Fatalf("got %s", describe(es))
	}
}

func TestSkillPatchValidate(t *testing.T) {
	wantValid(t, (&spec.SkillPatch{}).Validate())
	wantValid(t, (&spec.SkillPatch{Name: ptr("n"), Content: ptr("c"), Description: ptr(""), OwnerID: ptr("")}).Validate())
	e := wantOnly(t, (&spec.SkillPatch{Name: ptr(" ")}).Validate(), "name", spec.RuleNotBlank)
	wantMessage(t, e, "leave it unchanged")
	e = wantOnly(t, (&spec.SkillPatch{Content: ptr("")}).Validate(), "content", spec.RuleNotBlank)
	wantMessage(t, e, "leave them unchanged")
	es := fieldErrors(t, (&spec.SkillPatch{Name: ptr(""), Content: ptr("\n")}).Validate())
	if len(es) != 2 {
		t.Fatalf("got %s", describe(es))
	}
}

func TestErrorsField(t *testing.T) {
	es := spec.Errors{
		{Field: "name", Rule: spec.RuleRequired, Message: "m1"},
		{Field: "env_vars.FOO", Rule: spec.RuleReserved, Message: "m2"},
		{Field: "env_vars.BAR", Rule: spec.RuleKeyPattern, Message: "m3"},
		{Field: "env_vars", Rule: spec.RuleMaxKeys, Message: "m4"},
		{Field: "sandbox_files[2].size", Rule: spec.RuleSize, Message: "m5"},
		{Field: "names", Rule: spec.RuleRequired, Message: "m6"},
	}
	for _, tc := range []struct {
		field   string
		wantMsg string // "" means nil
	}{
		{"name", "m1"},
		{"names", "m6"},
		{"env_vars", "m2"}, // the first of its sub-fields
		{"env_vars.FOO", "m2"},
		{"env_vars.BAR", "m3"},
		{"env_vars.BAZ", ""},
		{"env", ""}, // no plain prefix match
		{"env_vars.F", ""},
		{"sandbox_files", "m5"},
		{"sandbox_files[2]", "m5"},
		{"sandbox_files[2].size", "m5"},
		{"sandbox_files[1]", ""},
		{"sandbox", ""},
		{"owner_id", ""},
		{"", ""},
	} {
		got := es.Field(tc.field)
		switch {
		case tc.wantMsg == "" && got != nil:
			t.Errorf("Field(%q) = %+v, want nil", tc.field, *got)
		case tc.wantMsg != "" && (got == nil || got.Message != tc.wantMsg):
			t.Errorf("Field(%q) = %v, want the error %s", tc.field, got, tc.wantMsg)
		}
	}
	if (spec.Errors{}).Field("name") != nil || spec.Errors(nil).Field("name") != nil {
		t.Error("Field on no errors is not nil")
	}
}

func TestErrorsErrAndMessages(t *testing.T) {
	if err := (spec.Errors{}).Err(); err != nil {
		t.Errorf("empty Errors.Err() = %v, want nil", err)
	}
	if err := spec.Errors(nil).Err(); err != nil {
		t.Errorf("nil Errors.Err() = %v, want nil", err)
	}
	es := spec.Errors{
		{Field: "a", Rule: "r", Message: "fix a"},
		{Field: "b", Rule: "r", Message: "fix b"},
	}
	if got := es.Error(); got != "a: fix a; b: fix b" {
		t.Errorf("Error() = %q", got)
	}
	err := fmt.Errorf("create: %w", es.Err())
	var back spec.Errors
	if !errors.As(err, &back) || len(back) != 2 {
		t.Errorf("errors.As through a wrap failed: %v", err)
	}
	var fe *spec.FieldError = es[0]
	if fe.Error() != "a: fix a" {
		t.Errorf("FieldError.Error() = %q", fe.Error())
	}
	// FieldErrors travel as JSON (the server's 400 body names the field).
	b, _ := json.Marshal(fe)
	if string(b) != `{"field":"a","rule":"r","message":"fix a"}` {
		t.Errorf("FieldError JSON = %s", b)
	}
}

func TestNormalize(t *testing.T) {
	s := spec.AgentSpec{
		Name: "a", OwnerID: "o", RepoURL: "https://github.com/a/b",
		SandboxFiles: []spec.SandboxFile{
			{Name: "x", SandboxPath: "/x"},
			{Name: "y", SandboxPath: "/y", ContentType: "text/plain"},
		},
	}
	s.Normalize()
	if s.Branch != "main" {
		t.Errorf("Branch = %q, want main", s.Branch)
	}
	if s.SandboxFiles[0].ContentType != "application/octet-stream" {
		t.Errorf("default content type = %q", s.SandboxFiles[0].ContentType)
	}
	if s.SandboxFiles[1].ContentType != "text/plain" {
		t.Errorf("given content type replaced: %q", s.SandboxFiles[1].ContentType)
	}

	kept := spec.AgentSpec{RepoURL: "git@h:a/b.git", Branch: "dev"}
	kept.Normalize()
	if kept.Branch != "dev" {
		t.Errorf("given branch replaced: %q", kept.Branch)
	}
	norepo := spec.AgentSpec{}
	norepo.Normalize()
	if norepo.Branch != "" {
		t.Errorf("branch set without a repo: %q", norepo.Branch)
	}
	// Idempotent.
	s.Normalize()
	if s.Branch != "main" || s.SandboxFiles[1].ContentType != "text/plain" {
		t.Error("second Normalize changed the spec")
	}
}

func TestBuiltinHarnesses(t *testing.T) {
	hs := spec.BuiltinHarnesses()
	want := []struct{ id, kind string }{
		{"opencode", spec.KindAPI},
		{"claude-agent-sdk", spec.KindAPI},
		{"claude-code", spec.KindTUI},
		{"codex", spec.KindTUI},
	}
	if len(hs) != len(want) {
		t.Fatalf("got %d harnesses, want 4", len(hs))
	}
	for i, w := range want {
		h := hs[i]
		if h.ID != w.id || h.Kind != w.kind || h.Name == "" || !h.Available {
			t.Errorf("harness %d = %+v, want id %s kind %s", i, h, w.id, w.kind)
		}
		if h.IsTUI() != (w.kind == spec.KindTUI) {
			t.Errorf("%s.IsTUI() = %v", h.ID, h.IsTUI())
		}
		got, ok := spec.BuiltinHarness(w.id)
		if !ok || got != h {
			t.Errorf("BuiltinHarness(%q) = %+v, %v", w.id, got, ok)
		}
		if k := spec.HarnessKind(w.id); k != w.kind {
			t.Errorf("HarnessKind(%q) = %q, want %q", w.id, k, w.kind)
		}
	}
	// Callers get a fresh slice: changing it does not change the next call.
	hs[0].ID = "mutated"
	if spec.BuiltinHarnesses()[0].ID != "opencode" {
		t.Error("BuiltinHarnesses shares its backing array")
	}
	for _, id := range []string{"", "my-alias", "Claude-Code", "claude-code ", "CODEX"} {
		if _, ok := spec.BuiltinHarness(id); ok {
			t.Errorf("BuiltinHarness(%q) found", id)
		}
		if k := spec.HarnessKind(id); k != spec.KindAPI {
			t.Errorf("HarnessKind(%q) = %q, want api (registered aliases are API-type)", id, k)
		}
	}
}

func TestSessionLiveAndMessageText(t *testing.T) {
	for status, live := range map[string]bool{
		spec.SessionStarting: true, spec.SessionRunning: true, spec.SessionIdle: true,
		spec.SessionError: false, spec.SessionExited: false, "": false,
	} {
		s := spec.Session{Status: status}
		if s.Live() != live {
			t.Errorf("Session{Status:%q}.Live() = %v", status, s.Live())
		}
	}
	m := spec.Message{Parts: []spec.Part{{Type: "text", Text: "a"}, {Type: "tool", Text: "x"}, {Type: "text", Text: "b"}}}
	if m.Text() != "ab" {
		t.Errorf("Text() = %q", m.Text())
	}
}

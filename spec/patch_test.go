package spec_test

import (
	"reflect"
	"testing"

	"lapctl/spec"
)

func TestApplyReplacesWhatThePatchSets(t *testing.T) {
	rt := "local"
	s := spec.AgentSpec{
		Name: "old", OwnerID: "o", Model: "m", RepoURL: "https://h/o/r", Branch: "dev",
		MCPServers: []string{"a"}, EnvVars: map[string]string{"A": "1", "B": "2"},
		SandboxFiles: []spec.SandboxFile{
			{Name: "keep", SandboxPath: "~/keep", Content: "a2VlcA==", ContentType: "text/plain", Size: 4},
			{Name: "drop", SandboxPath: "~/drop", Content: "ZA==", Size: 1},
		},
	}
	name, empty := "new", ""
	p := spec.AgentPatch{
		Name: &name, Runtime: &rt, RepoURL: &empty,
		MCPServers: &[]string{}, EnvVars: &map[string]string{"C": "3"},
		SandboxFiles: &[]spec.SandboxFile{{Name: "kept", SandboxPath: "~/keep"}, {Name: "new", SandboxPath: "/n", Content: "bg==", Size: 1}},
	}
	s.Apply(&p)
	rt = "changed" // the spec must not alias the patch
	want := spec.AgentSpec{
		Name: "new", OwnerID: "o", Model: "m", Runtime: ptr("local"), MCPServers: []string{},
		EnvVars: map[string]string{"C": "3"},
		SandboxFiles: []spec.SandboxFile{
			{Name: "kept", SandboxPath: "~/keep", Content: "a2VlcA==", ContentType: "text/plain", Size: 4},
			{Name: "new", SandboxPath: "/n", Content: "bg==", Size: 1},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
}

func TestApplyEmptyPatchChangesNothing(t *testing.T) {
	s := spec.AgentSpec{Name: "n", OwnerID: "o", RepoURL: "https://h/o/r", Branch: "main", EnvVars: map[string]string{"A": "1"}}
	before := s
	s.Apply(&spec.AgentPatch{})
	if !reflect.DeepEqual(s, before) {
		t.Fatalf("an empty patch changed %+v into %+v", before, s)
	}
}

func TestApplyUnknownKeptFileFailsValidation(t *testing.T) {
	s := spec.AgentSpec{Name: "n", OwnerID: "o"}
	s.Apply(&spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{{Name: "x", SandboxPath: "~/nothing-stored"}}})
	err := s.Validate()
	if e := asErrors(t, err).Field("sandbox_files[0].content"); e == nil || e.Rule != spec.RuleRequired {
		t.Fatalf("want a content error, got %v", err)
	}
}

func asErrors(t *testing.T, err error) spec.Errors {
	t.Helper()
	es, ok := err.(spec.Errors)
	if !ok {
		t.Fatalf("want spec.Errors, got %T %v", err, err)
	}
	return es
}

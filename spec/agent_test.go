package spec_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"lapctl/spec"
)

func TestAgentSpecValidBaseline(t *testing.T) {
	s := validSpec()
	wantValid(t, s.Validate())

	// The least an agent needs.
	minimal := spec.AgentSpec{Name: "a", OwnerID: "o"}
	wantValid(t, minimal.Validate())
}

func TestAgentSpecRequiredFields(t *testing.T) {
	for _, tc := range []struct {
		desc, name, owner string
		field             string
	}{
		{"empty name", "", "o", "name"},
		{"space name", " ", "o", "name"},
		{"whitespace-only name", " \t\r\n ", "o", "name"},
		{"empty owner", "n", "", "owner_id"},
		{"whitespace-only owner", "n", "\t \n", "owner_id"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			s := validSpec()
			s.Name, s.OwnerID = tc.name, tc.owner
			e := wantOnly(t, s.Validate(), tc.field, spec.RuleRequired)
			wantMessage(t, e, tc.field+" is required")
		})
	}
	t.Run("one character is enough", func(t *testing.T) {
		s := validSpec()
		s.Name, s.OwnerID = "x", "y"
		wantValid(t, s.Validate())
	})
	t.Run("owner message says how to set a default", func(t *testing.T) {
		s := validSpec()
		s.OwnerID = ""
		wantMessage(t, wantOnly(t, s.Validate(), "owner_id", spec.RuleRequired), "lapctl login")
	})
	t.Run("both missing are both reported in field order", func(t *testing.T) {
		s := spec.AgentSpec{}
		es := fieldErrors(t, s.Validate())
		if len(es) != 2 || es[0].Field != "name" || es[1].Field != "owner_id" {
			t.Fatalf("got %s", describe(es))
		}
	})
}

func TestAgentSpecRuntime(t *testing.T) {
	for _, tc := range []struct {
		desc    string
		runtime *string
		ok      bool
	}{
		{"omitted", nil, true},
		{"named", ptr("local"), true},
		{"padded name", ptr(" local "), true},
		{"empty", ptr(""), false},
		{"blank", ptr("  "), false},
		{"tab", ptr("\t"), false},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			s := validSpec()
			s.Runtime = tc.runtime
			if tc.ok {
				wantValid(t, s.Validate())
				return
			}
			e := wantOnly(t, s.Validate(), "runtime", spec.RuleNotBlank)
			wantMessage(t, e, "omit it", "lapctl runtimes")
		})
	}
}

func TestAgentSpecTools(t *testing.T) {
	for _, tc := range []struct {
		tools string
		ok    bool
	}{
		{"", true},
		{"null", true},
		{"[]", true},
		{`[{"type":"bash"}]`, true},
		{"{}", true},
		{`{"bash":{"enabled":true}}`, true},
		{" \n [1]", true},
		{`"bash"`, false},
		{`""`, false},
		{"42", false},
		{"-1", false},
		{"true", false},
		{"false", false},
		{` "x"`, false},
	} {
		t.Run(tc.tools, func(t *testing.T) {
			s := validSpec()
			if tc.tools != "" {
				s.Tools = json.RawMessage(tc.tools)
			}
			if tc.ok {
				wantValid(t, s.Validate())
				return
			}
			e := wantOnly(t, s.Validate(), "tools", spec.RuleType)
			wantMessage(t, e, "array or object")
		})
	}
	t.Run("decoded from JSON", func(t *testing.T) {
		for body, ok := range map[string]bool{
			`{"name":"a","owner_id":"o","tools":["x"]}`:   true,
			`{"name":"a","owner_id":"o","tools":{"x":1}}`: true,
			`{"name":"a","owner_id":"o","tools":null}`:    true,
			`{"name":"a","owner_id":"o","tools":"x"}`:     false,
			`{"name":"a","owner_id":"o","tools":3.5}`:     false,
		} {
			var s spec.AgentSpec
			if err := json.Unmarshal([]byte(body), &s); err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(); (err == nil) != ok {
				t.Errorf("%s: Validate() = %v, want ok=%v", body, err, ok)
			}
		}
	})
}

func TestValidateRepoURL(t *testing.T) {
	valid := []string{
		"",
		"https://github.com/acme/app",
		"https://github.com/acme/app.git",
		"https://gitlab.example.com/group/sub/app.git",
		"http://git.local:3000/acme/app",
		"https://user@github.com/acme/app.git",
		"ssh://git@github.com/acme/app.git",
		"ssh://git@github.com:2222/acme/app.git",
		"git+ssh://git@github.com/acme/app.git",
		"git://github.com/acme/app.git",
		"git@github.com:acme/app.git",
		"git@github.com:acme/app",
		"deploy@git.example.com:/srv/git/app.git",
	}
	for _, raw := range valid {
		if e := spec.ValidateRepoURL(raw); e != nil {
			t.Errorf("ValidateRepoURL(%q) = %v, want valid", raw, e)
		}
		s := validSpec()
		s.RepoURL = raw
		if err := s.Validate(); err != nil {
			t.Errorf("AgentSpec{RepoURL: %q}.Validate() = %v", raw, err)
		}
	}
	invalid := []string{
		"github.com/acme/app",         // no scheme
		"www.github.com/acme/app.git", // no scheme
		"ftp://github.com/acme/app",   // scheme
		"file:///srv/git/app.git",     // scheme, no host
		"mailto:git@github.com",       // scheme
		"https:///acme/app",           // missing host
		"https://",                    // missing host and path
		"https://github.com",          // missing path
		"https://github.com/",         // missing path
		"https://github.com//",        // missing path
		"ssh://git@github.com",        // missing path
		"git@github.com:",             // scp-like, missing path
		"git@github.com/acme/app",     // scp-like without colon
		"https://github.com/acme/my app",
		" https://github.com/acme/app",
		"https://github.com/acme/app ",
		"https://github.com/acme/app\n",
		"git@github.com:acme/my app.git",
		"https://github.com:port/acme/app", // bad port
		"acme/app",
		"app",
	}
	for _, raw := range invalid {
		e := spec.ValidateRepoURL(raw)
		if e == nil {
			t.Errorf("ValidateRepoURL(%q) = nil, want an error", raw)
			continue
		}
		if e.Field != "repo_url" || e.Rule != spec.RuleURL {
			t.Errorf("ValidateRepoURL(%q) = {%s %s}, want {repo_url url}", raw, e.Field, e.Rule)
		}
		wantMessage(t, e, "https://host/org/repo", "git@host:org/repo.git")
		s := validSpec()
		s.RepoURL = raw
		wantOnly(t, s.Validate(), "repo_url", spec.RuleURL)
	}
}

func TestAgentSpecErrorsInFieldOrder(t *testing.T) {
	s := spec.AgentSpec{
		Name:    " ",
		OwnerID: "",
		Runtime: ptr(""),
		Tools:   json.RawMessage(`1`),
		RepoURL: "nope",
		EnvVars: map[string]string{"PORT": "1", "1X": "2"},
		SandboxFiles: []spec.SandboxFile{
			{Name: "", SandboxPath: "rel", Content: "", Size: 0},
		},
	}
	es := fieldErrors(t, s.Validate())
	want := []struct{ field, rule string }{
		{"name", spec.RuleRequired},
		{"owner_id", spec.RuleRequired},
		{"runtime", spec.RuleNotBlank},
		{"tools", spec.RuleType},
		{"repo_url", spec.RuleURL},
		{"env_vars.1X", spec.RuleKeyPattern},
		{"env_vars.PORT", spec.RuleReserved},
		{"sandbox_files[0].name", spec.RuleRequired},
		{"sandbox_files[0].sandbox_path", spec.RulePath},
		{"sandbox_files[0].content", spec.RuleRequired},
	}
	if len(es) != len(want) {
		t.Fatalf("got %d errors %s, want %d", len(es), describe(es), len(want))
	}
	for i, w := range want {
		if es[i].Field != w.field || es[i].Rule != w.rule {
			t.Errorf("error %d = {%s %s}, want {%s %s}", i, es[i].Field, es[i].Rule, w.field, w.rule)
		}
	}
	// Error() joins every message, each prefixed by its field.
	msg := es.Error()
	for _, w := range want {
		if !strings.Contains(msg, w.field+": ") {
			t.Errorf("Errors.Error() %q lacks %q", msg, w.field)
		}
	}
}

func TestAgentPatchValidate(t *testing.T) {
	t.Run("empty patch", func(t *testing.T) {
		wantValid(t, (&spec.AgentPatch{}).Validate())
	})
	t.Run("unset fields are not checked", func(t *testing.T) {
		// A create with these zero values fails; a patch leaves them alone.
		p := spec.AgentPatch{Model: ptr("")}
		wantValid(t, p.Validate())
	})
	ok := []struct {
		desc string
		p    spec.AgentPatch
	}{
		{"name", spec.AgentPatch{Name: ptr("new")}},
		{"owner", spec.AgentPatch{OwnerID: ptr("u2")}},
		{"empty system prompt", spec.AgentPatch{System: ptr("")}},
		{"runtime", spec.AgentPatch{Runtime: ptr("local")}},
		{"tools array", spec.AgentPatch{Tools: ptr(json.RawMessage(`[]`))}},
		{"tools object", spec.AgentPatch{Tools: ptr(json.RawMessage(`{}`))}},
		{"repo cleared", spec.AgentPatch{RepoURL: ptr("")}},
		{"repo scp", spec.AgentPatch{RepoURL: ptr("git@github.com:a/b.git")}},
		{"env cleared", spec.AgentPatch{EnvVars: &map[string]string{}}},
		{"env", spec.AgentPatch{EnvVars: &map[string]string{"GH_TOKEN": "x"}}},
		{"env at 50 keys", spec.AgentPatch{EnvVars: ptr(manyKeys(50))}},
		{"files cleared", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{}}},
		{"file kept by empty content", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{
			{Name: "notes", SandboxPath: "~/notes.md", Size: 12},
		}}},
		{"new file", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{fileOf("a", "/a", []byte("abc"))}}},
	}
	for _, tc := range ok {
		t.Run(tc.desc, func(t *testing.T) { wantValid(t, tc.p.Validate()) })
	}
	bad := []struct {
		desc        string
		p           spec.AgentPatch
		field, rule string
	}{
		{"blank name", spec.AgentPatch{Name: ptr("  ")}, "name", spec.RuleNotBlank},
		{"empty name", spec.AgentPatch{Name: ptr("")}, "name", spec.RuleNotBlank},
		{"blank owner", spec.AgentPatch{OwnerID: ptr("\t")}, "owner_id", spec.RuleNotBlank},
		{"blank runtime", spec.AgentPatch{Runtime: ptr(" ")}, "runtime", spec.RuleNotBlank},
		{"empty runtime", spec.AgentPatch{Runtime: ptr("")}, "runtime", spec.RuleNotBlank},
		{"string tools", spec.AgentPatch{Tools: ptr(json.RawMessage(`"x"`))}, "tools", spec.RuleType},
		{"number tools", spec.AgentPatch{Tools: ptr(json.RawMessage(`7`))}, "tools", spec.RuleType},
		{"bad repo", spec.AgentPatch{RepoURL: ptr("ftp://h/a/b")}, "repo_url", spec.RuleURL},
		{"bad env key", spec.AgentPatch{EnvVars: &map[string]string{"A-B": "x"}}, "env_vars.A-B", spec.RuleKeyPattern},
		{"reserved env key", spec.AgentPatch{EnvVars: &map[string]string{"GIT_TOKEN": "x"}}, "env_vars.GIT_TOKEN", spec.RuleReserved},
		{"51 env keys", spec.AgentPatch{EnvVars: ptr(manyKeys(51))}, "env_vars", spec.RuleMaxKeys},
		{"relative path, kept content", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{
			{Name: "n", SandboxPath: "notes.md"},
		}}, "sandbox_files[0].sandbox_path", spec.RulePath},
		{"no name, kept content", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{
			{SandboxPath: "/n"},
		}}, "sandbox_files[0].name", spec.RuleRequired},
		{"negative size, kept content", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{
			{Name: "n", SandboxPath: "/n", Size: -1},
		}}, "sandbox_files[0].size", spec.RuleSize},
		{"size mismatch", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{
			{Name: "n", SandboxPath: "/n", Content: "YWJj", Size: 4},
		}}, "sandbox_files[0].size", spec.RuleSize},
		{"bad base64", spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{
			{Name: "n", SandboxPath: "/n", Content: "YW*j", Size: 3},
		}}, "sandbox_files[0].content", spec.RuleBase64},
	}
	for _, tc := range bad {
		t.Run(tc.desc, func(t *testing.T) { wantOnly(t, tc.p.Validate(), tc.field, tc.rule) })
	}
	t.Run("21 files", func(t *testing.T) {
		files := make([]spec.SandboxFile, 21)
		for i := range files {
			files[i] = spec.SandboxFile{Name: "f", SandboxPath: fmt.Sprintf("/f%d", i)}
		}
		wantOnly(t, (&spec.AgentPatch{SandboxFiles: &files}).Validate(), "sandbox_files", spec.RuleMaxFiles)
	})
	t.Run("decoded from JSON", func(t *testing.T) {
		var p spec.AgentPatch
		if err := json.Unmarshal([]byte(`{"name":"  ","env_vars":{"PORT":"1"},"tools":null}`), &p); err != nil {
			t.Fatal(err)
		}
		if p.Tools != nil {
			t.Errorf("tools:null decoded to %s, want nil (unchanged)", *p.Tools)
		}
		es := fieldErrors(t, p.Validate())
		if len(es) != 2 || es[0].Field != "name" || es[1].Field != "env_vars.PORT" {
			t.Fatalf("got %s", describe(es))
		}
	})
}

package spec_test

import (
	"fmt"
	"strings"
	"testing"

	"lapctl/spec"
)

func TestValidateEnvKeyPattern(t *testing.T) {
	valid := []string{
		"A", "z", "_", "__", "_1", "A1", "a_b", "GITHUB_TOKEN", "GH_TOKEN", "OPENAI_API_KEY",
		"x9_Y8", strings.Repeat("K", 300),
		// Near misses of reserved names are ordinary names.
		"PORTS", "PORT_", "_PORT", "GIT_TOKENS", "MY_REPO_URL", "BRANCH2",
	}
	for _, key := range valid {
		if e := spec.ValidateEnvKey("env_vars", key); e != nil {
			t.Errorf("ValidateEnvKey(%q) = %v, want nil", key, e)
		}
	}
	invalid := []string{
		"",          // empty
		"1",         // digit first
		"9LIVES",    // digit first
		"-A",        // punctuation first
		"$A",        // punctuation first
		"A-B",       // dash
		"A.B",       // dot
		"A B",       // space
		" A",        // leading space
		"A ",        // trailing space
		"A=B",       // equals sign
		"A\n",       // newline at the end
		"\nA",       // newline at the start
		"A\x00",     // NUL
		"É",         // non-ASCII letter first
		"CAFÉ",      // non-ASCII letter later
		"Ａ",         // fullwidth A
		"A١",        // Arabic-Indic digit
		"ß_KEY",     // non-ASCII first
		"KEY😀",      // emoji
		"\u200bKEY", // zero-width space
	}
	for _, key := range invalid {
		e := spec.ValidateEnvKey("env_vars", key)
		if e == nil {
			t.Errorf("ValidateEnvKey(%q) = nil, want key_pattern", key)
			continue
		}
		if e.Field != "env_vars."+key || e.Rule != spec.RuleKeyPattern {
			t.Errorf("ValidateEnvKey(%q) = {%q %s}, want {%q key_pattern}", key, e.Field, e.Rule, "env_vars."+key)
		}
		wantMessage(t, e, fmt.Sprintf("%q", key), "start with a letter or _", "letters, digits and _")
	}
}

func TestValidateEnvKeyFieldPrefix(t *testing.T) {
	e := spec.ValidateEnvKey("environment", "1X")
	if e == nil || e.Field != "environment.1X" {
		t.Fatalf("got %+v, want field environment.1X", e)
	}
}

func TestReservedEnvKeys(t *testing.T) {
	want := []string{
		"REPO_URL", "BRANCH", "LITELLM_API_KEY", "LITELLM_API_BASE",
		"LITELLM_DEFAULT_MODEL", "AGENT_PROMPT", "PORT", "GIT_TOKEN", "AGENT_REQUIREMENTS",
	}
	if fmt.Sprint(spec.ReservedEnvKeys) != fmt.Sprint(want) {
		t.Errorf("ReservedEnvKeys = %v, want the contract's nine %v", spec.ReservedEnvKeys, want)
	}
	for _, key := range want {
		t.Run(key, func(t *testing.T) {
			e := spec.ValidateEnvKey("env_vars", key)
			if e == nil {
				t.Fatalf("ValidateEnvKey(%q) = nil, want reserved", key)
			}
			if e.Field != "env_vars."+key || e.Rule != spec.RuleReserved {
				t.Fatalf("got {%s %s}, want {env_vars.%s reserved}", e.Field, e.Rule, key)
			}
			if key == "GIT_TOKEN" {
				wantMessage(t, e, "GITHUB_TOKEN", "GH_TOKEN", "erases it after cloning")
			} else {
				wantMessage(t, e, key, "reserved", "choose another name")
			}

			// Through each validator that takes env vars.
			s := validSpec()
			s.EnvVars = map[string]string{key: "v", "OK": "v"}
			wantOnly(t, s.Validate(), "env_vars."+key, spec.RuleReserved)
			p := spec.AgentPatch{EnvVars: &map[string]string{key: "v"}}
			wantOnly(t, p.Validate(), "env_vars."+key, spec.RuleReserved)
			ss := spec.SessionSpec{AgentID: "agent_1", EnvVars: map[string]string{key: "v"}}
			wantOnly(t, ss.Validate(), "env_vars."+key, spec.RuleReserved)
		})
	}
}

func TestEnvVarsEmptyKey(t *testing.T) {
	s := validSpec()
	s.EnvVars = map[string]string{"": "v"}
	e := wantOnly(t, s.Validate(), "env_vars.", spec.RuleKeyPattern)
	wantMessage(t, e, `""`)
}

func TestEnvVarsKeysReportedSorted(t *testing.T) {
	env := map[string]string{"9Z": "", "1A": "", "PORT": "", "-X": "", "GOOD": ""}
	for range 20 { // map order varies; the report must not
		es := spec.ValidateEnvVars("env_vars", env)
		var got []string
		for _, e := range es {
			got = append(got, e.Field)
		}
		want := "[env_vars.-X env_vars.1A env_vars.9Z env_vars.PORT]"
		if fmt.Sprint(got) != want {
			t.Fatalf("fields %v, want %s", got, want)
		}
	}
}

func TestEnvVarsCount(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{0, true}, {1, true}, {49, true}, {50, true}, {51, false}, {60, false}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			s := validSpec()
			s.EnvVars = manyKeys(tc.n)
			if tc.ok {
				wantValid(t, s.Validate())
				return
			}
			e := wantOnly(t, s.Validate(), "env_vars", spec.RuleMaxKeys)
			wantMessage(t, e, fmt.Sprintf("%d env vars given", tc.n), "at most 50", fmt.Sprintf("remove %d", tc.n-50))
		})
	}
}

func TestEnvJSONSize(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{nil, 0},
		{map[string]string{}, 0},
		{map[string]string{"A": ""}, len(`{"A":""}`)},
		{map[string]string{"A": "1", "B": "2"}, len(`{"A":"1","B":"2"}`)},
		// No HTML escaping: <>& are one byte each, not \u003c.
		{map[string]string{"A": "<>&"}, len(`{"A":"<>&"}`)},
		// UTF-8 is kept as is: é is two bytes, 日 three, 😀 four.
		{map[string]string{"A": "é"}, 10},
		{map[string]string{"A": "日本"}, 14},
		{map[string]string{"A": "😀"}, 12},
		// JSON's own escapes do count.
		{map[string]string{"A": `"`}, len(`{"A":"\""}`)},
		{map[string]string{"A": `\`}, len(`{"A":"\\"}`)},
		{map[string]string{"A": "\n"}, len(`{"A":"\n"}`)},
		{map[string]string{"A": "\x01"}, len(`{"A":"\u0001"}`)},
	} {
		if got := spec.EnvJSONSize(tc.env); got != tc.want {
			t.Errorf("EnvJSONSize(%q) = %d, want %d", tc.env, got, tc.want)
		}
	}
}

func TestEnvVarsSizeBoundary(t *testing.T) {
	for _, tc := range []struct {
		desc   string
		keys   int
		prefix string
	}{
		{"one key", 1, ""},
		{"50 keys", 50, ""},
		{"html characters count raw", 1, "<>&<>&"},
		{"multi-byte UTF-8 counts raw bytes", 3, "é日😀"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			at := envOfSize(t, tc.keys, spec.MaxEnvBytes, tc.prefix)
			if got := spec.EnvJSONSize(at); got != spec.MaxEnvBytes {
				t.Fatalf("EnvJSONSize = %d, want %d", got, spec.MaxEnvBytes)
			}
			s := validSpec()
			s.EnvVars = at
			wantValid(t, s.Validate())

			over := envOfSize(t, tc.keys, spec.MaxEnvBytes+1, tc.prefix)
			s.EnvVars = over
			e := wantOnly(t, s.Validate(), "env_vars", spec.RuleMaxBytes)
			wantMessage(t, e, "16385 bytes", "the limit is 16384", "shorten or remove values", "(1 bytes over)")

			ss := spec.SessionSpec{AgentID: "agent_1", EnvVars: at}
			wantValid(t, ss.Validate())
			ss.EnvVars = over
			wantOnly(t, ss.Validate(), "env_vars", spec.RuleMaxBytes)
		})
	}
	t.Run("both limits at once", func(t *testing.T) {
		env := envOfSize(t, 51, spec.MaxEnvBytes+10, "")
		es := fieldErrors(t, (&spec.AgentSpec{Name: "a", OwnerID: "o", EnvVars: env}).Validate())
		if len(es) != 2 || es[0].Rule != spec.RuleMaxKeys || es[1].Rule != spec.RuleMaxBytes {
			t.Fatalf("got %s", describe(es))
		}
	})
}

func TestSessionSpecValidate(t *testing.T) {
	wantValid(t, (&spec.SessionSpec{AgentID: "agent_1"}).Validate())
	wantValid(t, (&spec.SessionSpec{AgentID: "agent_1", EnvVars: manyKeys(50),
		Environment: &spec.SessionEnvironment{Model: "m"}}).Validate())
	for _, id := range []string{"", " ", "\t\n"} {
		e := wantOnly(t, (&spec.SessionSpec{AgentID: id}).Validate(), "agent_id", spec.RuleRequired)
		wantMessage(t, e, "agent_id is required")
	}
	for _, tc := range []struct {
		env         map[string]string
		field, rule string
	}{
		{map[string]string{"1X": "v"}, "env_vars.1X", spec.RuleKeyPattern},
		{map[string]string{"": "v"}, "env_vars.", spec.RuleKeyPattern},
		{map[string]string{"LITELLM_API_KEY": "v"}, "env_vars.LITELLM_API_KEY", spec.RuleReserved},
		{manyKeys(51), "env_vars", spec.RuleMaxKeys},
	} {
		wantOnly(t, (&spec.SessionSpec{AgentID: "agent_1", EnvVars: tc.env}).Validate(), tc.field, tc.rule)
	}
	es := fieldErrors(t, (&spec.SessionSpec{EnvVars: map[string]string{"PORT": "1"}}).Validate())
	if len(es) != 2 || es[0].Field != "agent_id" || es[1].Field != "env_vars.PORT" {
		t.Fatalf("got %s", describe(es))
	}
}

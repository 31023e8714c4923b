package spec

import (
	"strings"
	"testing"
)

func TestLimitsNameTheField(t *testing.T) {
	t.Parallel()
	big := func(n int) string { return strings.Repeat("x", n+1) }
	many := func(n int) []string { return make([]string, n+1) }
	agent := func(edit func(*AgentSpec)) func() error {
		return func() error {
			a := AgentSpec{Name: "a", OwnerID: "o"}
			edit(&a)
			return a.Validate()
		}
	}
	cases := map[string]struct {
		field string
		rule  string
		check func() error
	}{
		"name":        {"name", RuleMaxBytes, agent(func(a *AgentSpec) { a.Name = big(MaxNameBytes) })},
		"description": {"description", RuleMaxBytes, agent(func(a *AgentSpec) { a.Description = big(MaxDescriptionBytes) })},
		"system":      {"system", RuleMaxBytes, agent(func(a *AgentSpec) { a.System = big(MaxSystemBytes) })},
		"prompt":      {"prompt", RuleMaxBytes, agent(func(a *AgentSpec) { a.Prompt = big(MaxPromptBytes) })},
		"mcp count":   {"mcp_servers", RuleMaxEntries, agent(func(a *AgentSpec) { a.MCPServers = many(MaxListEntries) })},
		"mcp entry":   {"mcp_servers[0]", RuleMaxBytes, agent(func(a *AgentSpec) { a.MCPServers = []string{big(MaxMCPEntryBytes)} })},
		"domain":      {"allow_out[0]", RuleMaxBytes, agent(func(a *AgentSpec) { a.AllowOut = []string{big(MaxDomainBytes)} })},
		"deny count":  {"deny_out", RuleMaxEntries, agent(func(a *AgentSpec) { a.DenyOut = many(MaxListEntries) })},
		"config":      {"config", RuleMaxBytes, agent(func(a *AgentSpec) { a.Config = map[string]any{"k": big(MaxConfigBytes)} })},
		"tools":       {"tools", RuleMaxBytes, agent(func(a *AgentSpec) { a.Tools = []byte(`["` + big(MaxConfigBytes) + `"]`) })},
		"patch desc": {"description", RuleMaxBytes, func() error {
			d := big(MaxDescriptionBytes)
			return (&AgentPatch{Description: &d}).Validate()
		}},
		"skill name": {"name", RuleMaxBytes, func() error {
			return (&SkillSpec{Name: big(MaxSkillNameBytes), Content: "c"}).Validate()
		}},
		"skill content": {"content", RuleMaxBytes, func() error {
			return (&SkillSpec{Name: "s", Content: big(MaxSkillContentBytes)}).Validate()
		}},
		"skill patch": {"content", RuleMaxBytes, func() error {
			c := big(MaxSkillContentBytes)
			return (&SkillPatch{Content: &c}).Validate()
		}},
		"session prompt": {"prompt", RuleMaxBytes, func() error {
			return (&SessionSpec{AgentID: "a", Prompt: big(MaxPromptBytes)}).Validate()
		}},
	}
	for name, c := range cases {
		err := c.check()
		es, _ := err.(Errors)
		e := es.Field(c.field)
		if e == nil || e.Field != c.field || e.Rule != c.rule || !strings.Contains(e.Message, c.field) {
			t.Errorf("%s: got %v, want %s on %s", name, err, c.rule, c.field)
		}
	}
	// At the limit exactly, all is well.
	a := AgentSpec{Name: strings.Repeat("n", MaxNameBytes), OwnerID: "o", Description: strings.Repeat("d", MaxDescriptionBytes)}
	if err := a.Validate(); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}

func TestSandboxPathRefusesDotDot(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"~/../etc/passwd", "/work/../../x", "~/a/../../b", "/.."} {
		if msg := ValidateSandboxPath(p); !strings.Contains(msg, "..") {
			t.Errorf("%s: %q, want a .. refusal", p, msg)
		}
	}
	for _, p := range []string{"~/a..b", "/x/..hidden", "~/notes..md"} {
		if msg := ValidateSandboxPath(p); msg != "" {
			t.Errorf("%s refused: %s", p, msg)
		}
	}
}

package spec

import (
	"encoding/json"
	"fmt"
)

// Field size limits. Each is far past what a real agent uses (the longest
// system prompts in the wild are tens of KiB) and far below what lets a
// few requests fill the server's memory: one list of 100 agents at the
// maxima stays under ~150 MiB. Sizes are bytes of UTF-8.
const (
	MaxNameBytes         = 256
	MaxOwnerIDBytes      = 256
	MaxModelBytes        = 256
	MaxBranchBytes       = 256
	MaxRepoURLBytes      = 2048
	MaxDescriptionBytes  = 16 << 10
	MaxSystemBytes       = 256 << 10
	MaxPromptBytes       = 256 << 10
	MaxRequirementsBytes = 64 << 10
	MaxSkillNameBytes    = 256
	MaxSkillContentBytes = 512 << 10
	MaxSkillDescBytes    = 16 << 10
	MaxListEntries       = 100 // mcp_servers, allow_out, deny_out, skill_ids
	MaxMCPEntryBytes     = 2048
	MaxDomainBytes       = 253 // the DNS maximum
	MaxTitleBytes        = 1024
	MaxSandboxNameBytes  = 256
	MaxSandboxPathBytes  = 1024
	MaxConfigBytes       = 256 << 10 // config and tools, each as JSON
)

// RuleMaxEntries names a list that has too many entries.
const RuleMaxEntries = "max_entries"

// limitsChecker collects the limit errors of one body.
type limitsChecker struct{ es Errors }

// text checks one string field against max bytes.
func (c *limitsChecker) text(field, value string, max int) {
	if n := len(value); n > max {
		c.es = append(c.es, fieldErr(field, RuleMaxBytes,
			"%s is %s; the limit is %s: shorten it by %d bytes", field, byteSize(n), byteSize(max), n-max))
	}
}

// list checks a string list: the entry count and each entry's size.
func (c *limitsChecker) list(field string, values []string, maxEntries, maxEach int) {
	if n := len(values); n > maxEntries {
		c.es = append(c.es, fieldErr(field, RuleMaxEntries,
			"%s has %d entries; at most %d are allowed: remove %d", field, n, maxEntries, n-maxEntries))
	}
	for i, v := range values {
		c.text(fmt.Sprintf("%s[%d]", field, i), v, maxEach)
	}
}

func (c *limitsChecker) opt(field string, value *string, max int) {
	if value != nil {
		c.text(field, *value, max)
	}
}

func (c *limitsChecker) optList(field string, values *[]string, maxEntries, maxEach int) {
	if values != nil {
		c.list(field, *values, maxEntries, maxEach)
	}
}

func (c *limitsChecker) files(files []SandboxFile) {
	for i, f := range files {
		c.text(fmt.Sprintf("sandbox_files[%d].name", i), f.Name, MaxSandboxNameBytes)
		c.text(fmt.Sprintf("sandbox_files[%d].sandbox_path", i), f.SandboxPath, MaxSandboxPathBytes)
	}
}

// jsonValue checks an object field by its encoded size.
func (c *limitsChecker) jsonValue(field string, v map[string]any) {
	if len(v) == 0 {
		return
	}
	if b, err := json.Marshal(v); err == nil {
		c.text(field, string(b), MaxConfigBytes)
	}
}

// byteSize prints n as bytes, KiB or MiB, whichever reads best.
func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// agentLimits checks every sized field of an agent body.
func agentLimits(s *AgentSpec) Errors {
	var c limitsChecker
	c.text("name", s.Name, MaxNameBytes)
	c.text("owner_id", s.OwnerID, MaxOwnerIDBytes)
	c.text("model", s.Model, MaxModelBytes)
	c.text("description", s.Description, MaxDescriptionBytes)
	c.text("system", s.System, MaxSystemBytes)
	c.text("prompt", s.Prompt, MaxPromptBytes)
	c.text("requirements", s.Requirements, MaxRequirementsBytes)
	c.text("repo_url", s.RepoURL, MaxRepoURLBytes)
	c.text("branch", s.Branch, MaxBranchBytes)
	c.list("mcp_servers", s.MCPServers, MaxListEntries, MaxMCPEntryBytes)
	c.list("allow_out", s.AllowOut, MaxListEntries, MaxDomainBytes)
	c.list("deny_out", s.DenyOut, MaxListEntries, MaxDomainBytes)
	c.list("skill_ids", s.SkillIDs, MaxListEntries, MaxNameBytes)
	c.files(s.SandboxFiles)
	c.jsonValue("config", s.Config)
	c.text("tools", string(s.Tools), MaxConfigBytes)
	return c.es
}

// patchLimits checks the sized fields a patch sets.
func patchLimits(p *AgentPatch) Errors {
	var c limitsChecker
	c.opt("name", p.Name, MaxNameBytes)
	c.opt("owner_id", p.OwnerID, MaxOwnerIDBytes)
	c.opt("model", p.Model, MaxModelBytes)
	c.opt("description", p.Description, MaxDescriptionBytes)
	c.opt("system", p.System, MaxSystemBytes)
	c.opt("prompt", p.Prompt, MaxPromptBytes)
	c.opt("requirements", p.Requirements, MaxRequirementsBytes)
	c.opt("repo_url", p.RepoURL, MaxRepoURLBytes)
	c.opt("branch", p.Branch, MaxBranchBytes)
	c.optList("mcp_servers", p.MCPServers, MaxListEntries, MaxMCPEntryBytes)
	c.optList("allow_out", p.AllowOut, MaxListEntries, MaxDomainBytes)
	c.optList("deny_out", p.DenyOut, MaxListEntries, MaxDomainBytes)
	c.optList("skill_ids", p.SkillIDs, MaxListEntries, MaxNameBytes)
	if p.SandboxFiles != nil {
		c.files(*p.SandboxFiles)
	}
	if p.Config != nil {
		c.jsonValue("config", *p.Config)
	}
	if p.Tools != nil {
		c.text("tools", string(*p.Tools), MaxConfigBytes)
	}
	return c.es
}

// sessionLimits checks a session body's sized fields.
func sessionLimits(s *SessionSpec) Errors {
	var c limitsChecker
	c.text("title", s.Title, MaxTitleBytes)
	c.text("prompt", s.Prompt, MaxPromptBytes)
	if e := s.Environment; e != nil {
		c.text("environment.repository", e.Repository, MaxRepoURLBytes)
		c.text("environment.ref", e.Ref, MaxBranchBytes)
		c.text("environment.model", e.Model, MaxModelBytes)
	}
	return c.es
}

// skillLimits checks a skill's name, description and content.
func skillLimits(name, description, content *string) Errors {
	var c limitsChecker
	c.opt("name", name, MaxSkillNameBytes)
	c.opt("description", description, MaxSkillDescBytes)
	c.opt("content", content, MaxSkillContentBytes)
	return c.es
}

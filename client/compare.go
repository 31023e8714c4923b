package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"

	"lapctl/spec"
)

// FieldLoss is one field a create or edit sent that the server did not
// keep as sent. Detail never holds an env var's value.
type FieldLoss struct {
	Field  string
	Detail string
}

func (l FieldLoss) String() string { return l.Field + ": " + l.Detail }

// Unstored lists the fields s sets that the platform does not store on
// create, in form order: refuse them before sending (or warn, with
// --allow-drop).
func (c Capabilities) Unstored(s *spec.AgentSpec) []string {
	out := c.unstored(specFields(s), false, s.Harness)
	if c.Platform == PlatformManaged && s.System != "" && s.Prompt != "" && s.System != s.Prompt {
		out = append(out, "prompt") // one prompt only: system wins
	}
	return out
}

// UnstoredPatch is Unstored for an edit.
func (c Capabilities) UnstoredPatch(p *spec.AgentPatch) []string {
	h := ""
	if p.Harness != nil {
		h = *p.Harness
	}
	return c.unstored(patchFields(p), true, h)
}

func (c Capabilities) unstored(set []string, edit bool, harness string) []string {
	var out []string
	for _, f := range set {
		if !c.Stores(f, edit) {
			out = append(out, f)
		}
	}
	if harness != "" && len(c.Harnesses) > 0 && (!edit || c.Platform != PlatformGateway) {
		if _, known := c.HarnessTTY(harness); !known && !slices.Contains(out, "harness") {
			out = append(out, "harness="+harness)
		}
	}
	return out
}

// specFields names the fields s sets.
func specFields(s *spec.AgentSpec) []string {
	var out []string
	add := func(name string, set bool) {
		if set {
			out = append(out, name)
		}
	}
	add("name", s.Name != "")
	add("owner_id", s.OwnerID != "")
	add("model", s.Model != "")
	add("system", s.System != "")
	add("prompt", s.Prompt != "")
	add("description", s.Description != "")
	add("runtime", s.Runtime != nil)
	add("harness", s.Harness != "")
	add("config", len(s.Config) > 0)
	add("tools", len(s.Tools) > 0)
	add("requirements", s.Requirements != "")
	add("repo_url", s.RepoURL != "")
	add("branch", s.Branch != "" && s.Branch != spec.DefaultBranch) // main is every server's default
	add("mcp_servers", len(s.MCPServers) > 0)
	add("allow_out", len(s.AllowOut) > 0)
	add("deny_out", len(s.DenyOut) > 0)
	add("env_vars", len(s.EnvVars) > 0)
	add("skill_ids", len(s.SkillIDs) > 0)
	add("sandbox_files", len(s.SandboxFiles) > 0)
	return out
}

// patchFields names the fields p sets, in JSON order.
func patchFields(p *spec.AgentPatch) []string {
	data, _ := json.Marshal(p)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(data, &m)
	var out []string
	for _, f := range allAgentFields {
		if _, ok := m[f]; ok {
			out = append(out, f)
		}
	}
	return out
}

// CompareCreate reports, field by field, what of s the created agent got
// does not hold as sent. Server defaults for fields s left empty are not
// losses.
func CompareCreate(s *spec.AgentSpec, got *spec.Agent) []FieldLoss {
	var p spec.AgentPatch
	data, _ := json.Marshal(s)
	_ = json.Unmarshal(data, &p)
	if s.Runtime != nil {
		p.Runtime = s.Runtime
	}
	return ComparePatch(&p, got)
}

// ComparePatch reports what of the edit p the updated agent got does not
// hold.
func ComparePatch(p *spec.AgentPatch, got *spec.Agent) []FieldLoss {
	var out []FieldLoss
	str := func(field string, sent *string, have string) {
		if sent != nil && *sent != have {
			out = append(out, FieldLoss{field, fmt.Sprintf("sent %q, the server kept %q", clip(*sent), clip(have))})
		}
	}
	list := func(field string, sent *[]string, have []string) {
		if sent != nil && !slices.Equal(*sent, have) && !(len(*sent) == 0 && len(have) == 0) {
			out = append(out, FieldLoss{field, fmt.Sprintf("sent %v, the server kept %v", *sent, have)})
		}
	}
	str("name", p.Name, got.Name)
	str("owner_id", p.OwnerID, got.OwnerID)
	str("model", p.Model, got.Model)
	str("system", p.System, got.System)
	if p.Prompt != nil && *p.Prompt != got.Prompt && !(p.System == nil && *p.Prompt == got.System) {
		str("prompt", p.Prompt, got.Prompt)
	}
	str("description", p.Description, got.Description)
	if p.Runtime != nil {
		have := got.Runtime
		if rt, ok := got.Config["runtime"].(string); have == "" && ok {
			have = rt
		}
		str("runtime", p.Runtime, have)
	}
	str("harness", p.Harness, got.Harness)
	if p.Config != nil {
		for k, v := range *p.Config {
			if hv, ok := got.Config[k]; !ok || !reflect.DeepEqual(normJSON(v), normJSON(hv)) {
				out = append(out, FieldLoss{"config." + k, "not kept"})
			}
		}
	}
	if p.Tools != nil && !jsonEqual(*p.Tools, got.Tools) {
		out = append(out, FieldLoss{"tools", "not kept as sent"})
	}
	str("requirements", p.Requirements, got.Requirements)
	str("repo_url", p.RepoURL, got.RepoURL)
	if p.Branch != nil && *p.Branch != "" {
		str("branch", p.Branch, got.Branch)
	}
	list("mcp_servers", p.MCPServers, got.MCPServers)
	list("allow_out", p.AllowOut, got.AllowOut)
	list("deny_out", p.DenyOut, got.DenyOut)
	list("skill_ids", p.SkillIDs, got.SkillIDs)
	if p.EnvVars != nil {
		out = append(out, compareEnv(*p.EnvVars, got.EnvVars)...)
	}
	if p.SandboxFiles != nil {
		have := map[string]bool{}
		for _, f := range got.SandboxFiles {
			have[f.SandboxPath] = true
		}
		for _, f := range *p.SandboxFiles {
			if !have[f.SandboxPath] {
				out = append(out, FieldLoss{"sandbox_files", fmt.Sprintf("%s (%s) not kept", f.SandboxPath, f.Name)})
			}
		}
	}
	return out
}

// compareEnv compares keys and values without printing a value.
func compareEnv(sent, have map[string]string) []FieldLoss {
	var out []FieldLoss
	keys := slices.Collect(maps.Keys(sent))
	sort.Strings(keys)
	for _, k := range keys {
		hv, ok := have[k]
		switch {
		case !ok:
			out = append(out, FieldLoss{"env_vars." + k, "not kept"})
		case hv != sent[k]:
			out = append(out, FieldLoss{"env_vars." + k, "kept with a different value"})
		}
	}
	return out
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func normJSON(v any) any {
	data, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}

func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b)) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

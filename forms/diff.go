package forms

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"lapctl/spec"
)

// patchOf is the PATCH body that turns the agent as loaded (old) into the
// draft (now): only the fields that differ are set. Lists and maps are
// sent whole (empty to clear them). Sandbox files are sent only when the
// set changed; files kept from the server go with empty content, which
// the server reads as "keep the stored file at this path".
func patchOf(old, now *spec.AgentSpec) *spec.AgentPatch {
	p := &spec.AgentPatch{}
	str := func(a, b string) *string {
		if a == b {
			return nil
		}
		return &b
	}
	list := func(a, b []string) *[]string {
		if slices.Equal(a, b) {
			return nil
		}
		out := append([]string{}, b...)
		return &out
	}
	p.Name = str(old.Name, now.Name)
	p.OwnerID = str(old.OwnerID, now.OwnerID)
	p.Model = str(old.Model, now.Model)
	p.System = str(old.System, now.System)
	p.Description = str(old.Description, now.Description)
	p.Harness = str(old.Harness, now.Harness)
	p.Requirements = str(old.Requirements, now.Requirements)
	p.RepoURL = str(old.RepoURL, now.RepoURL)
	p.Branch = str(old.Branch, now.Branch)
	p.MCPServers = list(old.MCPServers, now.MCPServers)
	p.AllowOut = list(old.AllowOut, now.AllowOut)
	p.DenyOut = list(old.DenyOut, now.DenyOut)
	p.SkillIDs = list(old.SkillIDs, now.SkillIDs)
	if !maps.Equal(old.EnvVars, now.EnvVars) {
		env := maps.Clone(now.EnvVars)
		if env == nil {
			env = map[string]string{}
		}
		p.EnvVars = &env
	}
	if !slices.Equal(old.SandboxFiles, now.SandboxFiles) {
		files := append([]spec.SandboxFile{}, now.SandboxFiles...)
		p.SandboxFiles = &files
	}
	return p
}

// empty reports whether a patch changes nothing.
func patchEmpty(p *spec.AgentPatch) bool {
	return *p == spec.AgentPatch{}
}

// changedFields names the fields a patch sets, by their API names, in the
// order of the agent's fields.
func changedFields(p *spec.AgentPatch) []string {
	var out []string
	v := reflect.ValueOf(p).Elem()
	for i := range v.NumField() {
		if !v.Field(i).IsNil() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	return out
}

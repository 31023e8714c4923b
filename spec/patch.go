package spec

// Apply lays the fields p sets over s, as the server does for PATCH:
// scalars, lists, env vars and config are replaced whole.
//
// sandbox_files replaces the list, but an entry with empty content whose
// sandbox_path matches a file of s keeps that file's content, size and
// (unless the entry gives one) content type, so an edit need not resend
// files it leaves alone. An empty entry that matches nothing stays empty
// and fails validation on its content field. Clearing repo_url without
// naming a branch clears the branch too.
func (s *AgentSpec) Apply(p *AgentPatch) {
	for dst, v := range map[*string]*string{
		&s.Name: p.Name, &s.OwnerID: p.OwnerID, &s.Model: p.Model, &s.System: p.System,
		&s.Prompt: p.Prompt, &s.Description: p.Description, &s.Harness: p.Harness,
		&s.Requirements: p.Requirements, &s.RepoURL: p.RepoURL, &s.Branch: p.Branch,
	} {
		if v != nil {
			*dst = *v
		}
	}
	for dst, v := range map[*[]string]*[]string{
		&s.MCPServers: p.MCPServers, &s.AllowOut: p.AllowOut, &s.DenyOut: p.DenyOut, &s.SkillIDs: p.SkillIDs,
	} {
		if v != nil {
			*dst = *v
		}
	}
	if p.Runtime != nil {
		rt := *p.Runtime
		s.Runtime = &rt
	}
	if p.Config != nil {
		s.Config = *p.Config
	}
	if p.Tools != nil {
		s.Tools = *p.Tools
	}
	if p.EnvVars != nil {
		s.EnvVars = *p.EnvVars
	}
	if p.SandboxFiles != nil {
		s.SandboxFiles = keepStoredContent(s.SandboxFiles, *p.SandboxFiles)
	}
	if p.RepoURL != nil && *p.RepoURL == "" && p.Branch == nil {
		s.Branch = ""
	}
}

func keepStoredContent(stored, patch []SandboxFile) []SandboxFile {
	byPath := make(map[string]SandboxFile, len(stored))
	for _, f := range stored {
		byPath[f.SandboxPath] = f
	}
	out := make([]SandboxFile, len(patch))
	for i, f := range patch {
		if old, ok := byPath[f.SandboxPath]; ok && f.Content == "" {
			f.Content, f.Size = old.Content, old.Size
			if f.ContentType == "" {
				f.ContentType = old.ContentType
			}
		}
		out[i] = f
	}
	return out
}

package forms

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"strings"

	"lapctl/spec"
)

// envRow is one env var as the operator typed it. Rows keep their order
// and may break a rule (an imported bad key), so they are not a map.
type envRow struct {
	Key   string
	Value string
}

// fileEntry is one sandbox file. Content is base64; it is empty for a file
// already stored on the server (Kept), which an edit need not resend.
type fileEntry struct {
	Local       string // local path it was read from, "" when it came from a spec or the server
	Name        string
	SandboxPath string
	ContentType string
	Size        int64
	Content     string
	Kept        bool
}

// draft is everything the operator typed, across all steps. Forms bind to
// its fields, so a rebuilt form shows what was typed before.
type draft struct {
	Name        string
	OwnerID     string
	Description string
	Harness     string
	ModelPick   string // the model select's value: a model id or otherModel
	ModelCustom string // the free-text model when ModelPick is otherModel
	System      string
	SkillIDs    []string
	Env         []envRow
	Files       []fileEntry
	RepoURL     string
	Branch      string
	Require     string
	MCP         string // list inputs, as typed: one per line or comma-separated
	AllowOut    string
	DenyOut     string

	// Fields the builder does not edit but must not drop.
	Prompt  string
	Runtime *string
	Config  map[string]any
	Tools   json.RawMessage
}

// otherModel is the model select's "type a model id" choice.
const otherModel = "\x00other"

func newDraft(opts Options) *draft {
	d := &draft{OwnerID: opts.OwnerID, Branch: spec.DefaultBranch}
	switch {
	case opts.Edit != nil:
		d.fromAgent(opts.Edit)
	case opts.Initial != nil:
		d.fromSpec(opts.Initial)
	}
	if d.OwnerID == "" {
		d.OwnerID = opts.OwnerID
	}
	if d.model() == "" && opts.DefaultModel != "" {
		d.setModel(opts.DefaultModel)
	}
	return d
}

func (d *draft) fromSpec(s *spec.AgentSpec) {
	d.Name, d.Description, d.Harness = s.Name, s.Description, s.Harness
	if s.OwnerID != "" {
		d.OwnerID = s.OwnerID
	}
	d.setModel(s.Model)
	d.System, d.Prompt, d.Require = s.System, s.Prompt, s.Requirements
	d.RepoURL = s.RepoURL
	if s.Branch != "" {
		d.Branch = s.Branch
	}
	d.MCP, d.AllowOut, d.DenyOut = joinList(s.MCPServers), joinList(s.AllowOut), joinList(s.DenyOut)
	d.SkillIDs = append([]string(nil), s.SkillIDs...)
	d.Env = envRows(s.EnvVars)
	for _, f := range s.SandboxFiles {
		size := f.Size
		if n, err := base64.StdEncoding.DecodeString(f.Content); err == nil && size == 0 {
			size = int64(len(n))
		}
		d.Files = append(d.Files, fileEntry{Name: f.Name, SandboxPath: f.SandboxPath, ContentType: f.ContentType, Size: size, Content: f.Content})
	}
	d.Runtime, d.Config, d.Tools = s.Runtime, maps.Clone(s.Config), s.Tools
}

func (d *draft) fromAgent(a *spec.Agent) {
	d.Name, d.OwnerID, d.Description, d.Harness = a.Name, a.OwnerID, a.Description, a.Harness
	d.setModel(a.Model)
	d.System, d.Prompt, d.Require = a.System, a.Prompt, a.Requirements
	d.RepoURL = a.RepoURL
	if a.Branch != "" {
		d.Branch = a.Branch
	}
	d.MCP, d.AllowOut, d.DenyOut = joinList(a.MCPServers), joinList(a.AllowOut), joinList(a.DenyOut)
	d.SkillIDs = append([]string(nil), a.SkillIDs...)
	d.Env = envRows(a.EnvVars)
	for _, f := range a.SandboxFiles {
		d.Files = append(d.Files, fileEntry{Name: f.Name, SandboxPath: f.SandboxPath, ContentType: f.ContentType, Size: f.Size, Kept: true})
	}
	if a.Runtime != "" {
		rt := a.Runtime
		d.Runtime = &rt
	}
	d.Config, d.Tools = maps.Clone(a.Config), a.Tools
}

func envRows(env map[string]string) []envRow {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sortStrings(keys)
	rows := make([]envRow, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, envRow{Key: k, Value: env[k]})
	}
	return rows
}

// setModel points the model select at id, or at "other" with id typed in
// when the id is not (yet) one of the listed models; syncModel fixes that
// up once the list arrives.
func (d *draft) setModel(id string) {
	d.ModelPick, d.ModelCustom = otherModel, id
	if id == "" {
		d.ModelPick = ""
	}
}

// syncModel moves a typed model onto the select when the server lists it.
func (d *draft) syncModel(models []string) {
	m := d.model()
	for _, id := range models {
		if id == m {
			d.ModelPick, d.ModelCustom = id, ""
			return
		}
	}
	if m != "" {
		d.ModelPick, d.ModelCustom = otherModel, m
	}
}

func (d *draft) model() string {
	if d.ModelPick == otherModel || d.ModelPick == "" {
		return strings.TrimSpace(d.ModelCustom)
	}
	return d.ModelPick
}

// envMap is the env rows as the map the API takes; a later row wins over
// an earlier one with the same key (the editor refuses such rows anyway).
func envMap(rows []envRow) map[string]string {
	if len(rows) == 0 {
		return nil
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.Key] = r.Value
	}
	return m
}

func sandboxFiles(files []fileEntry) []spec.SandboxFile {
	if len(files) == 0 {
		return nil
	}
	out := make([]spec.SandboxFile, len(files))
	for i, f := range files {
		out[i] = spec.SandboxFile{Name: f.Name, SandboxPath: f.SandboxPath, Content: f.Content, ContentType: f.ContentType, Size: f.Size}
	}
	return out
}

// toSpec is the agent the draft describes. The same conversion serves the
// create body, the review, the saved file and (against the agent as
// loaded) the edit diff, so they never disagree.
func (d *draft) toSpec() *spec.AgentSpec {
	s := &spec.AgentSpec{
		Name:         strings.TrimSpace(d.Name),
		OwnerID:      strings.TrimSpace(d.OwnerID),
		Model:        d.model(),
		System:       d.System,
		Prompt:       d.Prompt,
		Description:  d.Description,
		Runtime:      d.Runtime,
		Harness:      strings.TrimSpace(d.Harness),
		Config:       d.Config,
		Tools:        d.Tools,
		Requirements: d.Require,
		RepoURL:      strings.TrimSpace(d.RepoURL),
		Branch:       strings.TrimSpace(d.Branch),
		MCPServers:   parseList(d.MCP),
		AllowOut:     parseList(d.AllowOut),
		DenyOut:      parseList(d.DenyOut),
		EnvVars:      envMap(d.Env),
		SkillIDs:     append([]string(nil), d.SkillIDs...),
		SandboxFiles: sandboxFiles(d.Files),
	}
	if len(s.SkillIDs) == 0 {
		s.SkillIDs = nil
	}
	// The branch input starts at "main"; without a repo it means nothing,
	// so it is not sent.
	if s.RepoURL == "" && s.Branch == spec.DefaultBranch {
		s.Branch = ""
	}
	s.Normalize()
	return s
}

package forms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"go.yaml.in/yaml/v3"

	"lapctl/secret"
	"lapctl/spec"
)

// yamlFile is a sandbox file in YAML, with the API's key names.
type yamlFile struct {
	Name        string `yaml:"name"`
	SandboxPath string `yaml:"sandbox_path"`
	ContentType string `yaml:"content_type,omitempty"`
	Size        int64  `yaml:"size"`
	Content     string `yaml:"content,omitempty"`
}

// yamlAgent is an agent spec in YAML: the API's key names (the same as
// the JSON body, so a loader may go YAML → JSON → spec.AgentSpec), in the
// order an operator reads them: short fields first, long texts last.
type yamlAgent struct {
	Name         string            `yaml:"name"`
	OwnerID      string            `yaml:"owner_id"`
	Description  string            `yaml:"description,omitempty"`
	Harness      string            `yaml:"harness,omitempty"`
	Model        string            `yaml:"model,omitempty"`
	Runtime      *string           `yaml:"runtime,omitempty"`
	RepoURL      string            `yaml:"repo_url,omitempty"`
	Branch       string            `yaml:"branch,omitempty"`
	SkillIDs     []string          `yaml:"skill_ids,omitempty"`
	EnvVars      map[string]string `yaml:"env_vars,omitempty"`
	SandboxFiles []yamlFile        `yaml:"sandbox_files,omitempty"`
	MCPServers   []string          `yaml:"mcp_servers,omitempty"`
	AllowOut     []string          `yaml:"allow_out,omitempty"`
	DenyOut      []string          `yaml:"deny_out,omitempty"`
	Requirements string            `yaml:"requirements,omitempty"`
	System       string            `yaml:"system,omitempty"`
	Prompt       string            `yaml:"prompt,omitempty"`
	Config       map[string]any    `yaml:"config,omitempty"`
	Tools        any               `yaml:"tools,omitempty"`
}

// agentYAML renders s. Without secrets (the review), env var values are
// masked and file contents left out; with them (a saved file) everything
// is written, so the file recreates the agent.
func agentYAML(s *spec.AgentSpec, secrets bool) ([]byte, error) {
	y := yamlAgent{
		Name: s.Name, OwnerID: s.OwnerID, Description: s.Description, Harness: s.Harness,
		Model: s.Model, System: s.System, Prompt: s.Prompt, Runtime: s.Runtime,
		RepoURL: s.RepoURL, Branch: s.Branch, Requirements: s.Requirements,
		MCPServers: s.MCPServers, AllowOut: s.AllowOut, DenyOut: s.DenyOut,
		SkillIDs: s.SkillIDs, EnvVars: s.EnvVars, Config: s.Config,
	}
	if !secrets {
		y.EnvVars = secret.MaskEnv(s.EnvVars)
	}
	for _, f := range s.SandboxFiles {
		yf := yamlFile{Name: f.Name, SandboxPath: f.SandboxPath, ContentType: f.ContentType, Size: f.Size}
		if secrets {
			yf.Content = f.Content
		}
		y.SandboxFiles = append(y.SandboxFiles, yf)
	}
	if t := bytes.TrimSpace(s.Tools); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		if err := json.Unmarshal(t, &y.Tools); err != nil {
			return nil, fmt.Errorf("tools: %w", err)
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(y); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// savedHeader opens a saved spec: how to use it and why it is private.
const savedHeader = `# Agent spec saved by lapctl. Create the agent with: lapctl agents create -f %s
# It holds the real env var values and file contents: keep it private
# (lapctl writes it readable by you only, mode 0600).
`

// savedMsg says whether the spec was saved.
type savedMsg struct {
	path string
	err  error
}

// saveSpec writes s with its secrets to path, readable by its owner only,
// in a tea.Cmd.
func saveSpec(s *spec.AgentSpec, path string) tea.Cmd {
	return func() tea.Msg {
		data, err := agentYAML(s, true)
		if err != nil {
			return savedMsg{path: path, err: err}
		}
		data = append([]byte(fmt.Sprintf(savedHeader, filepath.Base(path))), data...)
		return savedMsg{path: path, err: writePrivate(path, data)}
	}
}

// writePrivate writes data to path with mode 0600, tightening a file that
// already existed with a wider mode before writing the secrets into it.
func writePrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// expandHome turns a leading ~/ into the home directory.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// defaultSavePath is <name>.yaml in the start directory.
func defaultSavePath(dir, name string) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return '-'
	}, strings.TrimSpace(name))
	slug = strings.Trim(slug, "-.")
	if slug == "" {
		slug = "agent"
	}
	return filepath.Join(dir, slug+".yaml")
}

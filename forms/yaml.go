package forms

import (
	"bytes"
	"crypto/rand"

	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
//
// File contents are not given to the YAML encoder, which took half a
// second for 5 MB of files (it inspects every character for quoting;
// BenchmarkSaveSpec5MB): each goes in as a placeholder, replaced
// afterwards by the content double-quoted. Base64 needs no escapes, and
// quoted it is never read as a number or a boolean.
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
	nonce := contentNonce()
	for i, f := range s.SandboxFiles {
		yf := yamlFile{Name: f.Name, SandboxPath: f.SandboxPath, ContentType: f.ContentType, Size: f.Size}
		if secrets && f.Content != "" {
			yf.Content = placeholder(nonce, i)
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
	if !secrets {
		return buf.Bytes(), nil
	}
	return fillContents(buf.Bytes(), nonce, s.SandboxFiles)
}

// contentNonce makes placeholders no typed value can contain.
func contentNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on a supported OS
	return fmt.Sprintf("%x", b[:])
}

func placeholder(nonce string, i int) string { return fmt.Sprintf("lapctl-content-%s-%d", nonce, i) }

// fillContents puts each file's base64 where its placeholder is, in one
// pass over doc.
func fillContents(doc []byte, nonce string, files []spec.SandboxFile) ([]byte, error) {
	size := len(doc)
	for _, f := range files {
		size += len(f.Content) + 2
	}
	out := make([]byte, 0, size)
	for i, f := range files {
		if f.Content == "" {
			continue
		}
		ph := []byte("content: " + placeholder(nonce, i) + "\n")
		at := bytes.Index(doc, ph)
		if at < 0 {
			return nil, fmt.Errorf("sandbox_files[%d]: the content placeholder is missing from the YAML", i)
		}
		out = append(out, doc[:at]...)
		out = append(out, `content: "`...)
		out = append(out, f.Content...)
		out = append(out, "\"\n"...)
		doc = doc[at+len(ph):]
	}
	return append(out, doc...), nil
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

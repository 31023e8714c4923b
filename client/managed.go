package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lapctl/spec"
)

// managedPrefix is where the managed server (TypeScript/Next.js,
// PLATFORM.md "managed") keeps its API.
const managedPrefix = "/api/v1/managed_agents"

// managedDialect speaks the earlier server, read from
// src/app/api/v1/managed_agents/**/route.ts and src/server/types.ts at
// e0ad6c44: harness_id, ISO times, {data,total,limit,offset}, sessions
// with phases and a platform-wide tty token.
type managedDialect struct{ c *Client }

// managedAgent is ApiAgent (types.ts), with nulls.
type managedAgent struct {
	ID               string             `json:"id"`
	Name             *string            `json:"name"`
	Model            string             `json:"model"`
	Prompt           *string            `json:"prompt"`
	HarnessID        string             `json:"harness_id"`
	SupportsTUI      bool               `json:"supports_tui"`
	RepoURL          *string            `json:"repo_url"`
	Branch           string             `json:"branch"`
	MCPServers       []string           `json:"mcp_servers"`
	EnvVars          map[string]string  `json:"env_vars"`
	AttachedSkillIDs []string           `json:"attached_skill_ids"`
	AllowOut         []string           `json:"allow_out"`
	DenyOut          []string           `json:"deny_out"`
	SandboxFiles     []spec.SandboxFile `json:"sandbox_files"`
	Tools            json.RawMessage    `json:"tools"`
	CreatedAt        string             `json:"created_at"`
	SessionCount     int                `json:"session_count"`
}

// requirementsKey is the env var the managed server keeps requirements in.
const requirementsKey = "AGENT_REQUIREMENTS"

func decodeManagedAgent(raw json.RawMessage) (spec.Agent, error) {
	var m managedAgent
	if err := json.Unmarshal(raw, &m); err != nil {
		return spec.Agent{}, fmt.Errorf("unexpected agent object: %w", err)
	}
	a := spec.Agent{
		ID: m.ID, Name: deref(m.Name), Model: m.Model, Harness: m.HarnessID, SupportsTUI: m.SupportsTUI,
		RepoURL: deref(m.RepoURL), Branch: m.Branch, MCPServers: m.MCPServers, AllowOut: m.AllowOut, DenyOut: m.DenyOut,
		SkillIDs: m.AttachedSkillIDs, Tools: m.Tools, CreatedAt: flexTime(m.CreatedAt), SessionCount: m.SessionCount, Raw: raw,
	}
	// The managed server has one prompt: the system prompt, with a
	// <!-- skill:id --> block appended per attached skill.
	prompt := deref(m.Prompt)
	if i := strings.Index(prompt, "<!-- skill:"); i >= 0 {
		prompt = strings.TrimRight(prompt[:i], "\n")
	}
	a.System, a.Prompt = prompt, prompt
	if len(m.EnvVars) > 0 {
		a.EnvVars = map[string]string{}
		for k, v := range m.EnvVars {
			if k == requirementsKey {
				a.Requirements = v
				continue
			}
			a.EnvVars[k] = v
		}
		if len(a.EnvVars) == 0 {
			a.EnvVars = nil
		}
	}
	// Content comes back in full: keep metadata only, as lapctl does.
	for i := range m.SandboxFiles {
		m.SandboxFiles[i].Content = ""
	}
	a.SandboxFiles = m.SandboxFiles
	return a, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// managedAgentBody is CreateAgentBody / UpdateAgentBody.
type managedAgentBody struct {
	Name         *string             `json:"name,omitempty"`
	Model        *string             `json:"model,omitempty"`
	Prompt       *string             `json:"prompt,omitempty"`
	Tools        *json.RawMessage    `json:"tools,omitempty"`
	HarnessID    *string             `json:"harness_id,omitempty"`
	Requirements *string             `json:"requirements,omitempty"`
	RepoURL      *string             `json:"repo_url,omitempty"`
	Branch       *string             `json:"branch,omitempty"`
	MCPServers   *[]string           `json:"mcp_servers,omitempty"`
	AllowOut     *[]string           `json:"allow_out,omitempty"`
	DenyOut      *[]string           `json:"deny_out,omitempty"`
	SandboxFiles *[]spec.SandboxFile `json:"sandbox_files,omitempty"`
	SkillIDs     *[]string           `json:"skill_ids,omitempty"`
	EnvVars      *map[string]string  `json:"env_vars,omitempty"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func slicePtr[T any](s []T) *[]T {
	if len(s) == 0 {
		return nil
	}
	return &s
}

// managedPrompt is the one prompt the managed server keeps: system, else
// prompt (the contract's fallback).
func managedPrompt(system, prompt string) string {
	if system != "" {
		return system
	}
	return prompt
}

func managedCreateBody(s *spec.AgentSpec) managedAgentBody {
	b := managedAgentBody{
		Name: strPtr(s.Name), Model: strPtr(s.Model), Prompt: strPtr(managedPrompt(s.System, s.Prompt)),
		HarnessID: strPtr(s.Harness), Requirements: strPtr(s.Requirements), RepoURL: strPtr(s.RepoURL), Branch: strPtr(s.Branch),
		MCPServers: slicePtr(s.MCPServers), AllowOut: slicePtr(s.AllowOut), DenyOut: slicePtr(s.DenyOut),
		SandboxFiles: slicePtr(s.SandboxFiles), SkillIDs: slicePtr(s.SkillIDs),
	}
	if len(s.Tools) > 0 {
		b.Tools = &s.Tools
	}
	if len(s.EnvVars) > 0 {
		b.EnvVars = &s.EnvVars
	}
	return b
}

func managedPatchBody(p *spec.AgentPatch) managedAgentBody {
	b := managedAgentBody{Name: p.Name, Model: p.Model, Branch: p.Branch, MCPServers: p.MCPServers, AllowOut: p.AllowOut,
		DenyOut: p.DenyOut, SandboxFiles: p.SandboxFiles, EnvVars: p.EnvVars}
	switch {
	case p.System != nil:
		b.Prompt = p.System
	case p.Prompt != nil:
		b.Prompt = p.Prompt
	}
	// Fields UpdateAgentBody does not know are sent anyway (zod strips
	// them); the comparison afterwards reports them.
	b.HarnessID, b.RepoURL, b.Requirements, b.SkillIDs, b.Tools = p.Harness, p.RepoURL, p.Requirements, p.SkillIDs, p.Tools
	return b
}

func (d *managedDialect) agentCall(ctx context.Context, k call) (*spec.Agent, error) {
	var raw json.RawMessage
	k.result = &raw
	if err := d.c.do(ctx, k); err != nil {
		return nil, err
	}
	a, err := decodeManagedAgent(raw)
	return &a, d.c.unexpected(k, err)
}

var managedSortKeys = map[string]string{"created_at": "created_at", "name": "name", "harness": "harness_id"}

func (d *managedDialect) listAgents(ctx context.Context, p ListAgentsParams) (*AgentPage, error) {
	q := url.Values{}
	if p.Search != "" {
		q.Set("search", p.Search)
	}
	if k, ok := managedSortKeys[p.Sort]; ok {
		q.Set("sort", k)
	}
	if p.Order != "" {
		q.Set("order", p.Order)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	var raw struct {
		Data   []json.RawMessage `json:"data"`
		Total  int               `json:"total"`
		Limit  int               `json:"limit"`
		Offset int               `json:"offset"`
	}
	if err := d.c.do(ctx, call{method: http.MethodGet, path: managedPrefix + "/agents", query: q, result: &raw}); err != nil {
		return nil, err
	}
	agents, err := decodeEach(raw.Data, decodeManagedAgent)
	if err != nil {
		return nil, err
	}
	// Agents belong to the key: there is no owner to filter by.
	return &AgentPage{AgentList: spec.AgentList{Agents: agents, Total: raw.Total, Limit: raw.Limit, Offset: raw.Offset}, ServerPaged: true}, nil
}

func (d *managedDialect) getAgent(ctx context.Context, id string) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodGet, path: managedPrefix + "/agents/" + escape(id)})
}

func (d *managedDialect) createAgent(ctx context.Context, s *spec.AgentSpec) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodPost, path: managedPrefix + "/agents", body: managedCreateBody(s)})
}

func (d *managedDialect) updateAgent(ctx context.Context, id string, p *spec.AgentPatch) (*spec.Agent, error) {
	return d.agentCall(ctx, call{method: http.MethodPatch, path: managedPrefix + "/agents/" + escape(id), body: managedPatchBody(p)})
}

// deleteAgent: 204, no body.
func (d *managedDialect) deleteAgent(ctx context.Context, id string) error {
	return d.c.do(ctx, call{method: http.MethodDelete, path: managedPrefix + "/agents/" + escape(id)})
}

func (d *managedDialect) agentAction(_ context.Context, _, action string) (*spec.AgentStatus, error) {
	return nil, &UnsupportedError{Platform: PlatformManaged, Capability: action + " for agents", Hint: "managed agents have no status; stop their sessions instead"}
}

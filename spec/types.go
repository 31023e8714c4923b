// Package spec is the platform contract (../shared/API.md) in Go: the wire
// types and the one implementation of its validation rules, shared by the
// forms, the client and the embedded server. It must not import any other
// lapctl package but secret (a leaf), which masks credentials in its
// messages.
package spec

import "encoding/json"

// Agent statuses.
const (
	StatusPaused = "paused"
	StatusActive = "active"
)

// Session statuses.
const (
	SessionStarting = "starting"
	SessionRunning  = "running"
	SessionIdle     = "idle"
	SessionError    = "error"
	SessionExited   = "exited"
)

// Session start-up phases ([ext]).
const (
	PhaseStartingProcess = "starting_process"
	PhaseWritingFiles    = "writing_files"
	PhaseCloningRepo     = "cloning_repo"
	PhaseInstallingDeps  = "installing_deps"
	PhaseReady           = "ready"
	PhaseExited          = "exited"
	PhaseFailed          = "failed"
)

// DefaultBranch is the branch checked out when an agent names none.
const DefaultBranch = "main"

// DefaultContentType is a sandbox file's MIME type when none is given.
const DefaultContentType = "application/octet-stream"

// SandboxFile is a file injected into the sandbox at session start. Agent
// responses carry metadata only: Content is empty there.
type SandboxFile struct {
	Name        string `json:"name" yaml:"name"`
	SandboxPath string `json:"sandbox_path" yaml:"sandbox_path"`
	Content     string `json:"content,omitempty" yaml:"content,omitempty"`
	ContentType string `json:"content_type,omitempty" yaml:"content_type,omitempty"`
	Size        int64  `json:"size" yaml:"size"`
}

// AgentSpec is the body of POST /api/agents: every field an agent accepts.
type AgentSpec struct {
	Name         string            `json:"name" yaml:"name"`
	OwnerID      string            `json:"owner_id" yaml:"owner_id"`
	Model        string            `json:"model,omitempty" yaml:"model,omitempty"`
	System       string            `json:"system,omitempty" yaml:"system,omitempty"`
	Prompt       string            `json:"prompt,omitempty" yaml:"prompt,omitempty"`
	Description  string            `json:"description,omitempty" yaml:"description,omitempty"`
	Runtime      *string           `json:"runtime,omitempty" yaml:"runtime,omitempty"`
	Harness      string            `json:"harness,omitempty" yaml:"harness,omitempty"`
	Config       map[string]any    `json:"config,omitempty" yaml:"config,omitempty"`
	Tools        json.RawMessage   `json:"tools,omitempty" yaml:"-"`
	Requirements string            `json:"requirements,omitempty" yaml:"requirements,omitempty"`
	RepoURL      string            `json:"repo_url,omitempty" yaml:"repo_url,omitempty"`
	Branch       string            `json:"branch,omitempty" yaml:"branch,omitempty"`
	MCPServers   []string          `json:"mcp_servers,omitempty" yaml:"mcp_servers,omitempty"`
	AllowOut     []string          `json:"allow_out,omitempty" yaml:"allow_out,omitempty"`
	DenyOut      []string          `json:"deny_out,omitempty" yaml:"deny_out,omitempty"`
	EnvVars      map[string]string `json:"env_vars,omitempty" yaml:"env_vars,omitempty"`
	SkillIDs     []string          `json:"skill_ids,omitempty" yaml:"skill_ids,omitempty"`
	SandboxFiles []SandboxFile     `json:"sandbox_files,omitempty" yaml:"sandbox_files,omitempty"`
}

// AgentPatch is the body of PATCH /api/agents/{id}: a nil field is left as
// it is. In SandboxFiles, an entry with empty Content keeps the content
// already stored at that sandbox_path ([ext]), so an edit need not resend
// files it does not change.
type AgentPatch struct {
	Name         *string            `json:"name,omitempty"`
	OwnerID      *string            `json:"owner_id,omitempty"`
	Model        *string            `json:"model,omitempty"`
	System       *string            `json:"system,omitempty"`
	Prompt       *string            `json:"prompt,omitempty"`
	Description  *string            `json:"description,omitempty"`
	Runtime      *string            `json:"runtime,omitempty"`
	Harness      *string            `json:"harness,omitempty"`
	Config       *map[string]any    `json:"config,omitempty"`
	Tools        *json.RawMessage   `json:"tools,omitempty"`
	Requirements *string            `json:"requirements,omitempty"`
	RepoURL      *string            `json:"repo_url,omitempty"`
	Branch       *string            `json:"branch,omitempty"`
	MCPServers   *[]string          `json:"mcp_servers,omitempty"`
	AllowOut     *[]string          `json:"allow_out,omitempty"`
	DenyOut      *[]string          `json:"deny_out,omitempty"`
	EnvVars      *map[string]string `json:"env_vars,omitempty"`
	SkillIDs     *[]string          `json:"skill_ids,omitempty"`
	SandboxFiles *[]SandboxFile     `json:"sandbox_files,omitempty"`
}

// Agent is the agent object the server returns.
type Agent struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Model        string            `json:"model"`
	System       string            `json:"system"`
	Prompt       string            `json:"prompt,omitempty"`
	Description  string            `json:"description"`
	OwnerID      string            `json:"owner_id"`
	Status       string            `json:"status"`
	Harness      string            `json:"harness"`
	Runtime      string            `json:"runtime,omitempty"`
	Config       map[string]any    `json:"config,omitempty"`
	Tools        json.RawMessage   `json:"tools,omitempty"`
	CreatedAt    int64             `json:"created_at"`
	UpdatedAt    int64             `json:"updated_at,omitempty"`
	Requirements string            `json:"requirements,omitempty"`
	RepoURL      string            `json:"repo_url,omitempty"`
	Branch       string            `json:"branch,omitempty"`
	MCPServers   []string          `json:"mcp_servers,omitempty"`
	AllowOut     []string          `json:"allow_out,omitempty"`
	DenyOut      []string          `json:"deny_out,omitempty"`
	EnvVars      map[string]string `json:"env_vars,omitempty"`
	SkillIDs     []string          `json:"skill_ids,omitempty"`
	SandboxFiles []SandboxFile     `json:"sandbox_files,omitempty"`
	SupportsTUI  bool              `json:"supports_tui,omitempty"`
	SessionCount int               `json:"session_count,omitempty"`
	// Raw is the object exactly as the server sent it (--json prints it);
	// nil for an agent built locally.
	Raw json.RawMessage `json:"-" yaml:"-"`
}

// AgentList is the body of GET /api/agents. Total, Limit and Offset are
// [ext]: a hosted server may omit them.
type AgentList struct {
	Agents []Agent `json:"agents"`
	Total  int     `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
}

// AgentStatus is the body returned by pause and resume.
type AgentStatus struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// Agent list query bounds and sort keys.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// SortKeys are the values GET /api/agents accepts for sort.
var SortKeys = []string{"created_at", "name", "harness"}

// SkillSpec is the body of POST /api/skills.
type SkillSpec struct {
	Name        string `json:"name"`
	Content     string `json:"content"`
	Description string `json:"description,omitempty"`
	OwnerID     string `json:"owner_id,omitempty"`
}

// SkillPatch is the body of PATCH /api/skills/{id}.
type SkillPatch struct {
	Name        *string `json:"name,omitempty"`
	Content     *string `json:"content,omitempty"`
	Description *string `json:"description,omitempty"`
	OwnerID     *string `json:"owner_id,omitempty"`
}

// Skill is a reusable block of instructions appended to agent prompts.
type Skill struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Content     string `json:"content"`
	OwnerID     string `json:"owner_id"`
	CreatedAt   int64  `json:"created_at"`
}

// SessionEnvironment is the optional environment of POST /session.
type SessionEnvironment struct {
	Model      string `json:"model,omitempty"`
	Repository string `json:"repository,omitempty"`
	Ref        string `json:"ref,omitempty"`
}

// SessionSpec is the body of POST /session.
type SessionSpec struct {
	AgentID     string              `json:"agent_id"`
	Title       string              `json:"title,omitempty"`
	Prompt      string              `json:"prompt,omitempty"`
	Environment *SessionEnvironment `json:"environment,omitempty"`
	EnvVars     map[string]string   `json:"env_vars,omitempty"`
}

// SessionTime holds a session's timestamps in Unix milliseconds.
type SessionTime struct {
	Created int64 `json:"created"`
	Updated int64 `json:"updated"`
}

// Session is a running (or finished) instance of an agent.
type Session struct {
	ID            string              `json:"id"`
	Title         string              `json:"title"`
	Agent         string              `json:"agent"`
	AgentID       string              `json:"agent_id"`
	Harness       string              `json:"harness"`
	Status        string              `json:"status"`
	Environment   *SessionEnvironment `json:"environment,omitempty"`
	Time          SessionTime         `json:"time"`
	Kind          string              `json:"kind,omitempty"`
	Phase         string              `json:"phase,omitempty"`
	FailureReason string              `json:"failure_reason,omitempty"`
	// Notice is a plain-words note on how the session runs (e.g. "claude
	// not found on PATH; running /bin/bash instead") [ext].
	Notice   string `json:"notice,omitempty"`
	ExitCode *int   `json:"exit_code,omitempty"`
	TTYURL   string `json:"tty_url,omitempty"`
	TTYToken string `json:"tty_token,omitempty"`
	// PhaseDetail is the managed platform's free-text note on the phase.
	PhaseDetail string `json:"phase_detail,omitempty"`
	// SupportsTUI is what the server says about this session having a
	// terminal: nil when it has not said. The client's dialect fills it
	// (lapctl: kind; managed: the agent's supports_tui; gateway: never),
	// so no caller keeps a table of harness names.
	SupportsTUI *bool `json:"supports_tui,omitempty"`
	// Raw is the object exactly as the server sent it (--json prints it).
	Raw json.RawMessage `json:"-"`
}

// HasTTY reports whether the session has (or, once ready, will have) a
// terminal to attach to, and whether the server said so at all.
func (s *Session) HasTTY() (tty, known bool) {
	if s.TTYURL != "" {
		return true, true
	}
	if s.SupportsTUI != nil {
		return *s.SupportsTUI, true
	}
	return false, false
}

// Live reports whether the session's process may still produce output.
func (s *Session) Live() bool {
	return s.Status == SessionStarting || s.Status == SessionRunning || s.Status == SessionIdle
}

// Part is one piece of a message; lapctl sends and shows "text" parts.
type Part struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
}

// MessageModel picks the model for one message.
type MessageModel struct {
	ModelID string `json:"modelID"`
}

// MessageRequest is the body of POST /session/{id}/message.
type MessageRequest struct {
	Model *MessageModel `json:"model,omitempty"`
	Parts []Part        `json:"parts"`
}

// MessageInfo describes one message of a session's history.
type MessageInfo struct {
	ID        string `json:"id,omitempty"`
	SessionID string `json:"sessionID,omitempty"`
	Role      string `json:"role"`
	ModelID   string `json:"modelID,omitempty"`
	Created   int64  `json:"created,omitempty"`
}

// Message is one entry of a session's history, or of a message reply.
type Message struct {
	Info  MessageInfo `json:"info"`
	Parts []Part      `json:"parts"`
}

// Text joins the message's text parts.
func (m Message) Text() string {
	var out string
	for _, p := range m.Parts {
		if p.Type == "text" {
			out += p.Text
		}
	}
	return out
}

// Model is one entry of GET /v1/models.
type Model struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// ModelList is the body of GET /v1/models.
type ModelList struct {
	Object string  `json:"object"`
	Data   []Model `json:"data"`
}

// Runtime is one entry of GET /api/agent-runtimes.
type Runtime struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Connected bool   `json:"connected"`
}

// RuntimeHarness is a registered harness alias (GET /api/runtime-harnesses);
// all of them are API-type.
type RuntimeHarness struct {
	Alias       string `json:"alias"`
	DisplayName string `json:"display_name"`
	APISpec     string `json:"api_spec"`
	IsDefault   bool   `json:"is_default"`
	Connected   bool   `json:"connected"`
}

// ResizeFrame is the client's PTY resize message on the WebSocket.
type ResizeFrame struct {
	Type string `json:"type"`
	Cols int    `json:"cols"`
	Rows int    `json:"rows"`
}

// PTY size bounds for resize frames.
const (
	MinPTYSize = 1
	MaxPTYSize = 1000
)

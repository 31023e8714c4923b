package client

import (
	"fmt"
	"slices"
	"strings"
)

// Platform names the API dialect a server speaks.
type Platform string

// The three dialects (PLATFORM.md). PlatformUnknown is a client that has
// not probed yet.
const (
	PlatformUnknown Platform = ""
	PlatformLapctl  Platform = "lapctl"
	PlatformGateway Platform = "gateway"
	PlatformManaged Platform = "managed"
)

// Platforms lists the dialects, for flag help and completion.
var Platforms = []Platform{PlatformLapctl, PlatformGateway, PlatformManaged}

// ParsePlatform reads a --platform value or a context's platform: key;
// "" and "auto" mean probe.
func ParsePlatform(s string) (Platform, error) {
	switch p := Platform(strings.ToLower(strings.TrimSpace(s))); p {
	case "", "auto":
		return PlatformUnknown, nil
	case PlatformLapctl, PlatformGateway, PlatformManaged:
		return p, nil
	}
	return PlatformUnknown, fmt.Errorf("unknown platform %q: use lapctl, gateway, managed or auto", s)
}

// MessageMode is how a session answers a message.
type MessageMode string

// Message modes.
const (
	// MessagesSync: the reply comes in the response of the POST.
	MessagesSync MessageMode = "sync"
	// MessagesAsync: the POST returns at once; the reply appears in the
	// history later (SendMessage waits for it).
	MessagesAsync MessageMode = "async"
	// MessagesNone: the session takes no messages (a TUI session).
	MessagesNone MessageMode = "none"
)

// HarnessCap is one harness a platform offers and whether its sessions
// have a terminal.
type HarnessCap struct {
	ID  string
	TTY bool
}

// Capabilities is what a platform stores and offers. Agent field names
// are the JSON names of spec.AgentSpec (the names forms and flags use).
type Capabilities struct {
	Platform Platform
	// CreateFields are the agent fields a create stores; EditFields those
	// an edit changes.
	CreateFields []string
	EditFields   []string
	// Harnesses are the harnesses an agent may name (create keeps them
	// as given); empty means any the server lists.
	Harnesses []HarnessCap
	// OwnerFromKey: the server assigns the owner from the key and has no
	// owner_id field (managed); owner filters cannot apply.
	OwnerFromKey bool
	// Paging, Search, Sort: GET agents honours limit/offset, search and
	// sort itself (else the client does it locally).
	Paging, Search, Sort bool
	// SessionAgentFilter: GET sessions honours agent_id.
	SessionAgentFilter bool
	// SessionList: the server lists sessions at all.
	SessionList bool
	// SessionEnvVars, SessionPrompt: a session create keeps per-session
	// env vars and a first message.
	SessionEnvVars, SessionPrompt bool
	// SessionEnvironment: a session create keeps environment{model,…}.
	SessionEnvironment bool
	// Messages is how sessions of a message-taking harness answer.
	Messages MessageMode
	// TTY: some sessions have a WebSocket PTY.
	TTY bool
	// Skills: the server has the skills endpoints; SkillCheck: it checks
	// that an agent's skill_ids exist.
	Skills, SkillCheck bool
	// PauseResume: agents can be paused and resumed.
	PauseResume bool
	// HarnessCatalog, ModelCatalog: GET harnesses / models exist.
	HarnessCatalog, ModelCatalog bool
}

// Stores reports whether a create (edit false) or an edit (edit true)
// keeps the agent field.
func (c Capabilities) Stores(field string, edit bool) bool {
	if edit {
		return slices.Contains(c.EditFields, field)
	}
	return slices.Contains(c.CreateFields, field)
}

// HarnessTTY reports whether sessions of harness h have a terminal on
// this platform, and whether the platform knows h at all.
func (c Capabilities) HarnessTTY(h string) (tty, known bool) {
	for _, hc := range c.Harnesses {
		if hc.ID == h {
			return hc.TTY, true
		}
	}
	return false, false
}

// HarnessIDs lists the harness ids.
func (c Capabilities) HarnessIDs() []string {
	out := make([]string, 0, len(c.Harnesses))
	for _, h := range c.Harnesses {
		out = append(out, h.ID)
	}
	return out
}

// every agent field of spec.AgentSpec, in form order.
var allAgentFields = []string{
	"name", "owner_id", "model", "system", "prompt", "description", "runtime", "harness",
	"config", "tools", "requirements", "repo_url", "branch", "mcp_servers", "allow_out",
	"deny_out", "env_vars", "skill_ids", "sandbox_files",
}

// AllAgentFields lists every field an agent spec can carry.
func AllAgentFields() []string { return slices.Clone(allAgentFields) }

var builtinHarnessCaps = []HarnessCap{
	{ID: "opencode"}, {ID: "claude-agent-sdk"}, {ID: "claude-code", TTY: true}, {ID: "codex", TTY: true},
}

// CapabilitiesOf returns the fixed capabilities of a dialect.
func CapabilitiesOf(p Platform) Capabilities {
	switch p {
	case PlatformGateway:
		// src/http/agents.rs: CreateManagedAgent / UpdateManagedAgent.
		return Capabilities{
			Platform:     p,
			CreateFields: []string{"name", "owner_id", "model", "system", "prompt", "description", "runtime", "harness", "config", "tools", "skill_ids"},
			EditFields:   []string{"name", "owner_id", "model", "system", "prompt", "description", "runtime", "harness", "config", "skill_ids"},
			// Every other harness becomes claude-code on create, and no
			// gateway session has a terminal.
			Harnesses:      []HarnessCap{{ID: "claude-code"}},
			SessionList:    true,
			Messages:       MessagesAsync,
			Skills:         true,
			PauseResume:    true,
			ModelCatalog:   true,
			HarnessCatalog: false,
		}
	case PlatformManaged:
		// src/server/types.ts: CreateAgentBody / UpdateAgentBody.
		return Capabilities{
			Platform:     p,
			CreateFields: []string{"name", "model", "system", "prompt", "harness", "tools", "requirements", "repo_url", "branch", "mcp_servers", "allow_out", "deny_out", "env_vars", "skill_ids", "sandbox_files"},
			EditFields:   []string{"name", "model", "system", "prompt", "branch", "mcp_servers", "allow_out", "deny_out", "env_vars", "sandbox_files"},
			Harnesses:    slices.Clone(builtinHarnessCaps),
			OwnerFromKey: true,
			Paging:       true, Search: true, Sort: true,
			SessionEnvVars: true, SessionPrompt: true,
			Messages:   MessagesSync,
			TTY:        true,
			SkillCheck: true,
		}
	default:
		return Capabilities{
			Platform:     PlatformLapctl,
			CreateFields: slices.Clone(allAgentFields),
			EditFields:   slices.Clone(allAgentFields),
			Harnesses:    slices.Clone(builtinHarnessCaps),
			Paging:       true, Search: true, Sort: true,
			SessionAgentFilter: true, SessionList: true,
			SessionEnvVars: true, SessionPrompt: true, SessionEnvironment: true,
			Messages: MessagesSync,
			TTY:      true,
			Skills:   true, SkillCheck: true,
			PauseResume:    true,
			HarnessCatalog: true, ModelCatalog: true,
		}
	}
}

// UnsupportedError is a call the platform cannot serve, refused before
// anything was sent.
type UnsupportedError struct {
	Platform   Platform
	Capability string
	Hint       string
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("the %s platform has no %s", e.Platform, e.Capability)
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// DroppedFieldsError refuses a create or edit that sets fields the
// platform would not store (the CLI's exit 7, unless --allow-drop).
type DroppedFieldsError struct {
	Platform Platform
	Fields   []string
	Edit     bool
	// Session: the fields are a session create's.
	Session bool
}

func (e *DroppedFieldsError) Error() string {
	verb := "create"
	switch {
	case e.Session:
		verb = "session create"
	case e.Edit:
		verb = "edit"
	}
	return fmt.Sprintf("the %s platform does not store %s on %s; nothing was sent (leave them out, or pass --allow-drop to send anyway)",
		e.Platform, strings.Join(e.Fields, ", "), verb)
}

// NotStored lists the agent fields a create (edit false) or edit drops
// on this platform, in form order: what a builder hides and names.
func (c Capabilities) NotStored(edit bool) []string {
	var out []string
	for _, f := range allAgentFields {
		if !c.Stores(f, edit) {
			out = append(out, f)
		}
	}
	return out
}

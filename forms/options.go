package forms

import (
	"context"
	"errors"

	"lapctl/client"
	"lapctl/spec"
)

// Options configure a Builder.
type Options struct {
	Client *client.Client
	// Context bounds every request the builder makes: the caller's, so an
	// SSH hang-up cancels what is in flight. Nil means context.Background().
	Context context.Context
	// LightBackground starts the styles for a light terminal; the builder
	// asks the terminal (through the program) and follows its answer.
	LightBackground bool
	// Theme names an assets theme; "" or an unknown name is the default.
	Theme string
	// OwnerID prefills the owner (from the config).
	OwnerID string
	// DefaultModel preselects a model (from the config).
	DefaultModel string
	// Initial prefills a new agent (from -f or flags).
	Initial *spec.AgentSpec
	// Edit switches to edit mode: the form starts from this agent and the
	// submit sends a PATCH of what changed.
	Edit *spec.Agent
	// Accessible runs huh's accessible mode (line prompts for screen
	// readers) instead of the full-screen form; only Run honours it.
	Accessible bool
	// StartDir is where the file pickers start; "" is the working directory.
	StartDir string
	// Width and Height are the first size, before a tea.WindowSizeMsg; zero
	// means 80×24.
	Width, Height int
}

// Next is what the operator chose to do once the agent was saved.
type Next int

// What to do after the builder.
const (
	// NextNone: nothing more; show the agent.
	NextNone Next = iota
	// NextSession: a session was started (Result.Session).
	NextSession
	// NextAttach: a session of a TUI harness was started; the caller
	// attaches to Result.Session.
	NextAttach
)

// Result is what the builder produced.
type Result struct {
	Agent   *spec.Agent
	Session *spec.Session
	Next    Next
	// Sent is the agent as the builder sent it on create; SentPatch the
	// change it sent on edit (nil when nothing changed).
	Sent      *spec.AgentSpec
	SentPatch *spec.AgentPatch
	// Losses are the fields sent that the server did not keep as sent
	// (client.CompareCreate / ComparePatch): never reported as saved.
	Losses []client.FieldLoss
	// SavedPath is the last file the spec was saved to, if any.
	SavedPath string
}

// DoneMsg is emitted (by an embedded Builder) when the operator is
// finished with a saved agent.
type DoneMsg struct{ Result Result }

// CancelMsg is emitted (by an embedded Builder) when the operator gives up.
// SavedPath in the builder's Result still names any file saved before.
type CancelMsg struct{}

// ErrCancelled is returned by Run when the operator cancels the builder.
var ErrCancelled = errors.New("agent builder cancelled: nothing was created")

package forms

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// stepID names the builder's steps, in order.
type stepID int

const (
	stepBasics stepID = iota
	stepHarness
	stepModel
	stepSystem
	stepSkills
	stepEnv
	stepFiles
	stepRepo
	stepRequirements
	stepNetwork
	numSteps
)

// stepNames are short enough that all of them, and Review, fit one
// 80-column line.
var stepNames = [numSteps]string{"Basics", "Harness", "Model", "Prompt", "Skills", "Env", "Files", "Repo", "Pip", "Network"}

// stepTitles head each step's page.
var stepTitles = [numSteps]string{
	"Name, owner and description",
	"Harness",
	"Model",
	"System prompt",
	"Skills",
	"Environment variables",
	"Sandbox files",
	"Repository",
	"Python requirements",
	"MCP servers and outbound network",
}

// stepMove is where a step wants to go after a message.
type stepMove int

const (
	stay stepMove = iota
	forward
	backward
)

// step is one page of the builder. Steps read and write the builder's
// draft, and are rebuilt from it by enter each time they are shown.
type step interface {
	enter() tea.Cmd
	update(msg tea.Msg) (stepMove, tea.Cmd)
	view() string
	// refit adapts the step to the builder's size.
	refit()
}

// fieldError is a message the server (or the client's own check of the
// whole agent) gave about one field; the step owning the field shows it.
type fieldError struct {
	Field   string
	Message string
	Source  string // "Server: " for the server's own messages
}

// stepForField maps an API field name, as in an error's "field"
// (env_vars.FOO, sandbox_files[2].sandbox_path, skill_ids…), to the step
// that edits it. Fields the builder does not edit (runtime, config,
// tools) have no step: their errors are shown on the review.
func stepForField(field string) (stepID, bool) {
	base := field
	if i := strings.IndexAny(base, ".["); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "name", "owner_id", "description":
		return stepBasics, true
	case "harness":
		return stepHarness, true
	case "model":
		return stepModel, true
	case "system", "prompt":
		return stepSystem, true
	case "skill_ids", "skills":
		return stepSkills, true
	case "env_vars":
		return stepEnv, true
	case "sandbox_files":
		return stepFiles, true
	case "repo_url", "branch":
		return stepRepo, true
	case "requirements":
		return stepRequirements, true
	case "mcp_servers", "allow_out", "deny_out":
		return stepNetwork, true
	}
	return 0, false
}

// Package agents is `lapctl agents`: list, get, create, edit, delete,
// pause and resume agents.
package agents

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/secret"
	"lapctl/spec"
)

// NewCmdAgents is the `agents` noun.
func NewCmdAgents(f *cmdutil.Factory) *cobra.Command {
	cmd := cmdutil.NewGroupCmd("agents <command>", "Manage agents",
		`Create, inspect and change agents: a model, a prompt and a harness
that sessions run. Commands taking an agent accept its id, its name or a
unique id prefix.`, "agent")
	cmd.AddCommand(
		NewCmdList(f, nil),
		NewCmdGet(f, nil),
		NewCmdCreate(f, nil),
		NewCmdEdit(f, nil),
		NewCmdDelete(f, nil),
		NewCmdPause(f, nil),
		NewCmdResume(f, nil),
	)
	return cmd
}

// kind is an agent's harness kind: TUI harnesses are attached over a PTY,
// API harnesses take messages. The client's dialect fills SupportsTUI for
// every platform (the gateway's claude-code has no terminal).
func kind(a *spec.Agent) string {
	if a.SupportsTUI {
		return spec.KindTUI
	}
	return spec.KindAPI
}

// harnessLabel is "claude-code (TUI)".
func harnessLabel(a *spec.Agent) string {
	if a.Harness == "" {
		return "-"
	}
	return fmt.Sprintf("%s (%s)", a.Harness, strings.ToUpper(kind(a)))
}

// masked returns a copy of a whose env var values are hidden.
func masked(a *spec.Agent) *spec.Agent {
	c := *a
	c.EnvVars = secret.MaskEnv(a.EnvVars)
	c.RepoURL = secret.MaskURL(a.RepoURL)
	return &c
}

func statusColor(s string) string {
	switch s {
	case spec.StatusActive:
		return output.ColorGood
	case spec.StatusPaused:
		return output.ColorWarn
	}
	return ""
}

// label names an agent in messages: "name (id)".
func label(a *spec.Agent) string {
	if a.Name == "" {
		return a.ID
	}
	return fmt.Sprintf("%s (%s)", a.Name, a.ID)
}

// Package sessions is `lapctl sessions`: start, list, inspect, message
// and stop sessions of agents.
package sessions

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/secret"
	"lapctl/spec"
)

// NewCmdSessions is the `sessions` noun.
func NewCmdSessions(f *cmdutil.Factory) *cobra.Command {
	cmd := cmdutil.NewGroupCmd("sessions <command>", "Manage sessions",
		`A session is a running instance of an agent. Sessions of API harnesses
take messages (lapctl sessions send); sessions of TUI harnesses are
attached to (lapctl attach). Commands taking a session accept its id, its
title or a unique id prefix.`, "session")
	cmd.AddCommand(
		NewCmdList(f, nil),
		NewCmdCreate(f, nil),
		NewCmdGet(f, nil),
		NewCmdDelete(f, nil),
		NewCmdSend(f, nil),
		NewCmdMessages(f, nil),
		NewCmdLogs(f, nil),
	)
	return cmd
}

// masked returns a copy of s with its tty token hidden.
func masked(s *spec.Session) *spec.Session {
	c := *s
	c.TTYToken = secret.Mask(s.TTYToken)
	return &c
}

// kind is "tui" for a session with a terminal, else "api": what the
// server said (the client's dialect fills SupportsTUI), then the
// harness's kind for a server that says nothing.
func kind(s *spec.Session) string {
	if tty, known := s.HasTTY(); known {
		if tty {
			return spec.KindTUI
		}
		return spec.KindAPI
	}
	if s.Kind != "" {
		return s.Kind
	}
	return spec.HarnessKind(s.Harness)
}

// sessionJSON is what --json prints for a session: the server's object.
func sessionJSON(s *spec.Session) any {
	if len(s.Raw) > 0 {
		return s.Raw
	}
	return masked(s)
}

// status is the status, with the start-up phase while starting.
func status(s *spec.Session) string {
	if s.Status == spec.SessionStarting && s.Phase != "" && s.Phase != spec.PhaseReady {
		return fmt.Sprintf("%s (%s)", s.Status, s.Phase)
	}
	return s.Status
}

func statusColor(v string) string {
	switch {
	case v == spec.SessionRunning, v == spec.SessionIdle:
		return output.ColorGood
	case strings.HasPrefix(v, spec.SessionStarting):
		return output.ColorWarn
	case v == spec.SessionError:
		return output.ColorBad
	case v == spec.SessionExited:
		return output.ColorMuted
	}
	return ""
}

func label(s *spec.Session) string {
	if s.Title == "" {
		return s.ID
	}
	return fmt.Sprintf("%s (%s)", s.Title, s.ID)
}

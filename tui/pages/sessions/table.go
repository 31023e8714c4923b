package sessions

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/table"

	"lapctl/spec"
	"lapctl/tui/common"
)

const (
	statusWidth = 9
	phaseWidth  = 16
	ageWidth    = 9
	idWidth     = 24
)

func columns(width int) []table.Column {
	avail := max(width-12, 30)
	rest := max(avail-statusWidth-phaseWidth-ageWidth, 21)
	id := min(idWidth, rest*36/100)
	agent := (rest - id) / 2
	harness := rest - id - agent
	return []table.Column{
		{Title: "Session", Width: id},
		{Title: "Agent", Width: agent},
		{Title: "Harness", Width: harness},
		{Title: "Status", Width: statusWidth},
		{Title: "Phase", Width: phaseWidth},
		{Title: "Started", Width: ageWidth},
	}
}

// statusText is the status, with the exit code once a session exited.
func statusText(s *spec.Session) string {
	if s.Status == spec.SessionExited && s.ExitCode != nil {
		return fmt.Sprintf("exited(%d)", *s.ExitCode)
	}
	return s.Status
}

func agentName(s *spec.Session) string {
	if s.Agent != "" {
		return s.Agent
	}
	return s.AgentID
}

func harnessLabel(s *spec.Session) string {
	tty, known := s.HasTTY()
	if !known {
		return s.Harness
	}
	return common.HarnessLabel(s.Harness, tty)
}

func toRows(list []spec.Session, now time.Time) []table.Row {
	out := make([]table.Row, len(list))
	for i := range list {
		s := &list[i]
		phase := s.Phase
		if phase == "" {
			phase = "-"
		}
		out[i] = table.Row{s.ID, agentName(s), harnessLabel(s), statusText(s), phase, common.Ago(now, s.Time.Created)}
	}
	return out
}

// order sorts newest first; the id breaks ties so the order is stable
// between polls.
func order(list []spec.Session) {
	slices.SortStableFunc(list, func(a, b spec.Session) int {
		if c := cmp.Compare(b.Time.Created, a.Time.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// hasTTY is the server's word on a session's terminal: true or false
// when it said, and the session then is attached or sent messages; when
// it did not, both are offered and the attach asks it again.
func hasTTY(s *spec.Session) bool {
	tty, known := s.HasTTY()
	return tty || !known
}

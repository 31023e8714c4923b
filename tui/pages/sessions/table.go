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
	idWidth     = 24 // "ses_" + 20 characters; longer ids widen it
)

// columns lays the table out for width cells; idw is the longest id
// shown (at least idWidth), which is never cut.
func columns(width, idw int) []table.Column {
	avail := max(width-12, 30)
	// The id is what `attach` takes: never cut. Phase gives up room
	// first (to 8 cells), then agent and harness share what is left.
	id := max(idWidth, idw)
	phase := phaseWidth
	rest := avail - statusWidth - phase - ageWidth - id
	if rest < 14 {
		phase = max(phaseWidth-(14-rest), 8)
		rest = avail - statusWidth - phase - ageWidth - id
	}
	rest = max(rest, 6)
	agent := rest / 2
	harness := rest - agent
	return []table.Column{
		{Title: "Session", Width: id},
		{Title: "Agent", Width: agent},
		{Title: "Harness", Width: harness},
		{Title: "Status", Width: statusWidth},
		{Title: "Phase", Width: phase},
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

// longestID is the widest session id in list.
func longestID(list []spec.Session) int {
	w := 0
	for i := range list {
		w = max(w, len(list[i].ID))
	}
	return w
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

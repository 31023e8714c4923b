package agents

import (
	"strconv"
	"time"

	"charm.land/bubbles/v2/table"

	"lapctl/spec"
	"lapctl/tui/common"
)

// Fixed column widths (cell text, without the one-cell padding each side).
const (
	statusWidth   = 6
	sessionsWidth = 8
	createdWidth  = 10
	maxHarness    = 22
	columnCount   = 6
)

// columns lays the table out for width cells: fixed columns for status,
// sessions and age, the rest shared by harness, name and model.
func columns(width int) []table.Column {
	avail := max(width-2*columnCount, 30)
	rest := max(avail-statusWidth-sessionsWidth-createdWidth, 18)
	harness := min(maxHarness, rest*36/100)
	name := (rest - harness) * 55 / 100
	model := rest - harness - name
	return []table.Column{
		{Title: "Name", Width: name},
		{Title: "Harness", Width: harness},
		{Title: "Model", Width: model},
		{Title: "Status", Width: statusWidth},
		{Title: "Sessions", Width: sessionsWidth},
		{Title: "Created", Width: createdWidth},
	}
}

// row is one agent as table cells. The bubbles table truncates each cell
// to its column, so no width logic here.
func row(a *spec.Agent, now time.Time) table.Row {
	model := a.Model
	if model == "" {
		model = "-"
	}
	return table.Row{
		common.OneLine(a.Name),
		common.HarnessLabel(a.Harness, a.SupportsTUI),
		model,
		a.Status,
		strconv.Itoa(a.SessionCount),
		common.Ago(now, a.CreatedAt),
	}
}

// rows converts agents to table rows, appending to dst so a newly loaded
// page costs only its own conversion.
func rows(dst []table.Row, agents []spec.Agent, now time.Time) []table.Row {
	for i := range agents {
		dst = append(dst, row(&agents[i], now))
	}
	return dst
}

package agents

import (
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/table"
	"github.com/charmbracelet/x/ansi"

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
// sessions and age, the rest shared by harness, name and model. The
// harness column grows to harnessNeed (the widest label listed) when the
// others keep over half of what is left, so "[TUI] claude-code" is not
// cut at 80 columns.
func columns(width, harnessNeed int) []table.Column {
	avail := max(width-2*columnCount, 30)
	rest := max(avail-statusWidth-sessionsWidth-createdWidth, 18)
	harness := min(maxHarness, max(rest*36/100, min(harnessNeed, rest*45/100)))
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

// harnessColumn is the Harness column's index.
const harnessColumn = 1

// harnessNeed is the widest harness label of rows. Labels are ASCII, so
// their length is their width (a wider rune only overstates it).
func harnessNeed(rows []table.Row) int {
	w := 0
	for _, r := range rows {
		if len(r) > harnessColumn {
			w = max(w, len(r[harnessColumn]))
		}
	}
	return w
}

// modelColumn is the Model column's index: its cells keep their tail.
const modelColumn = 2

// fitRows returns rows with each model cut to its column from the left
// ("…sonnet-4-6"), so agents on one provider stay told apart. Rows that
// fit are shared, not copied.
func fitRows(src []table.Row, cols []table.Column) []table.Row {
	w := cols[modelColumn].Width
	out := src
	for i, r := range src {
		if len(r) <= modelColumn || ansi.StringWidth(r[modelColumn]) <= w {
			continue
		}
		if &out[0] == &src[0] {
			out = slices.Clone(src)
		}
		cut := slices.Clone(r)
		cut[modelColumn] = common.TruncateTail(r[modelColumn], w)
		out[i] = cut
	}
	return out
}

// rows converts agents to table rows, appending to dst so a newly loaded
// page costs only its own conversion.
func rows(dst []table.Row, agents []spec.Agent, now time.Time) []table.Row {
	for i := range agents {
		dst = append(dst, row(&agents[i], now))
	}
	return dst
}

package output

import (
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"lapctl/iostreams"
)

// Column describes one table column.
type Column struct {
	Header string
	// Drop orders which columns go first on a narrow terminal: 0 is never
	// dropped, higher numbers are dropped before lower ones.
	Drop int
	// MinWidth, when > 0, lets the column be truncated down to it (with
	// "…") before any column is dropped.
	MinWidth int
	// Color picks a colour for a cell's value ("" for none).
	Color func(value string) string
}

// Table collects rows and prints them fitted to the terminal, or as
// tab-separated lines without a header when stdout is not a terminal, so
// scripts get every column, untruncated, in a fixed order.
type Table struct {
	io   *iostreams.IOStreams
	cols []Column
	rows [][]string
}

// NewTable starts a table on ios.
func NewTable(ios *iostreams.IOStreams, cols ...Column) *Table {
	return &Table{io: ios, cols: cols}
}

// AddRow adds a row; it must have one cell per column.
func (t *Table) AddRow(cells ...string) {
	if len(cells) != len(t.cols) {
		panic(fmt.Sprintf("output: row has %d cells for %d columns", len(cells), len(t.cols)))
	}
	t.rows = append(t.rows, cells)
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Render prints the table.
func (t *Table) Render() error {
	if !t.io.IsStdoutTTY() {
		return t.renderPlain(t.io.Out)
	}
	return t.renderTTY(t.io.Out, t.io.TerminalWidth())
}

func (t *Table) renderPlain(w io.Writer) error {
	var b strings.Builder
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	for _, row := range t.rows {
		for i, c := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean.Replace(c))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// gap is the space between columns.
const gap = 2

func (t *Table) renderTTY(w io.Writer, width int) error {
	keep, widths := fit(t.cols, t.rows, width)
	r := NewRenderer(t.io)
	headers := make([]string, len(keep))
	for i, c := range keep {
		headers[i] = t.cols[c].Header
	}
	rows := make([][]string, len(t.rows))
	for ri, row := range t.rows {
		out := make([]string, len(keep))
		for i, c := range keep {
			out[i] = ansi.Truncate(flat(row[c]), widths[i], "…")
		}
		rows[ri] = out
	}
	header := r.NewStyle().Bold(true).Underline(true)
	tbl := table.New().
		Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(false).BorderColumn(false).BorderRow(false).
		Headers(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := r.NewStyle()
			if col < len(keep)-1 {
				s = s.PaddingRight(gap)
			}
			if row == table.HeaderRow {
				return header.Inherit(s)
			}
			if color := t.cols[keep[col]].Color; color != nil && row >= 0 && row < len(rows) {
				if c := color(t.rows[row][keep[col]]); c != "" {
					s = s.Foreground(lipgloss.Color(c))
				}
			}
			return s
		})
	_, err := fmt.Fprintln(r.Writer(w), tbl.Render())
	return err
}

// flat puts a multi-line value on one line for a table cell.
func flat(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// fit picks the columns to show and their widths for a terminal of width
// columns. Droppable columns (Drop > 0) are truncated to their MinWidth
// and then dropped, lowest priority first, before an essential column
// (name, id) is truncated at all: a full name beats a clipped description.
func fit(cols []Column, rows [][]string, width int) (keep []int, widths []int) {
	natural := make([]int, len(cols))
	for i, c := range cols {
		natural[i] = ansi.StringWidth(c.Header)
		for _, row := range rows {
			natural[i] = max(natural[i], ansi.StringWidth(flat(row[i])))
		}
	}
	floor := func(i int) int {
		if cols[i].MinWidth > 0 {
			return min(natural[i], max(cols[i].MinWidth, ansi.StringWidth(cols[i].Header)))
		}
		return natural[i]
	}
	for i := range cols {
		keep = append(keep, i)
	}
	total := func(w func(int) int) int {
		sum := gap * (len(keep) - 1)
		for _, i := range keep {
			sum += w(i)
		}
		return sum
	}
	droppableFloor := func(i int) int {
		if cols[i].Drop > 0 {
			return floor(i)
		}
		return natural[i]
	}
	for total(droppableFloor) > width {
		drop := -1
		for k, i := range keep {
			if cols[i].Drop > 0 && (drop < 0 || cols[i].Drop >= cols[keep[drop]].Drop) {
				drop = k
			}
		}
		if drop < 0 {
			break
		}
		keep = append(keep[:drop], keep[drop+1:]...)
	}
	widths = make([]int, len(keep))
	for k, i := range keep {
		widths[k] = natural[i]
	}
	over := total(func(i int) int { return natural[i] }) - width
	// Shave the widest truncatable column one cell at a time, droppable
	// columns first, then essential ones.
	for _, essential := range []bool{false, true} {
		for over > 0 {
			widest := -1
			for k, i := range keep {
				if (cols[i].Drop == 0) == essential && widths[k] > floor(i) && (widest < 0 || widths[k] > widths[widest]) {
					widest = k
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
			over--
		}
	}
	return keep, widths
}

// When formats a time for a detail view: RFC 3339 with the relative time
// on a terminal, RFC 3339 alone when piped; "" when unset.
func When(ios *iostreams.IOStreams, ms int64, now time.Time) string {
	if ms == 0 {
		return ""
	}
	if ios.IsStdoutTTY() {
		return fmt.Sprintf("%s (%s)", Timestamp(ms), Relative(ms, now))
	}
	return Timestamp(ms)
}

// TimeCell formats a time for a table: relative on a terminal, RFC 3339
// when piped.
func TimeCell(ios *iostreams.IOStreams, ms int64, now time.Time) string {
	if ios.IsStdoutTTY() {
		return Relative(ms, now)
	}
	return Timestamp(ms)
}

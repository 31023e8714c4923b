package agents

import (
	"charm.land/bubbles/v2/table"
	"fmt"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/spec"
)

func agentsN(from, n int) []spec.Agent {
	out := make([]spec.Agent, n)
	for i := range out {
		out[i] = spec.Agent{ID: fmt.Sprintf("agent_%05d", from+i), Name: fmt.Sprintf("a-%05d", from+i), Harness: "opencode"}
	}
	return out
}

func page(agents []spec.Agent, total int, paged bool) *client.AgentPage {
	p := &client.AgentPage{ServerPaged: paged}
	p.Agents, p.Total = agents, total
	return p
}

// TestStaleResponsesDropped: a page of an older generation (a query since
// replaced) or at an offset that no longer follows the rows is ignored.
func TestStaleResponsesDropped(t *testing.T) {
	now := time.Now()
	s := &source{}
	s.gen = 2
	if s.apply(PageMsg{Gen: 1, Page: page(agentsN(0, 5), 5, true)}, now) {
		t.Fatal("an older generation's page was applied")
	}
	if !s.apply(PageMsg{Gen: 2, Page: page(agentsN(0, 100), 300, true)}, now) || len(s.rows) != 100 || !s.more() {
		t.Fatalf("first page: %d rows, more=%v", len(s.rows), s.more())
	}
	if s.apply(PageMsg{Gen: 2, Offset: 200, Page: page(agentsN(200, 100), 300, true)}, now) {
		t.Fatal("a page past a gap was applied")
	}
	if !s.apply(PageMsg{Gen: 2, Offset: 100, Page: page(agentsN(100, 100), 300, true)}, now) || len(s.rows) != 200 || len(s.trows) != 200 {
		t.Fatalf("second page: %d rows, %d table rows", len(s.rows), len(s.trows))
	}
	if s.rows[150].ID != "agent_00150" || s.trows[150][0] != "a-00150" {
		t.Fatalf("row 150 = %s / %v", s.rows[150].ID, s.trows[150])
	}
}

// TestEmptyPageEndsPaging: a server whose total overstates what it has
// is not asked for the same empty page again.
func TestEmptyPageEndsPaging(t *testing.T) {
	s := &source{gen: 1}
	s.apply(PageMsg{Gen: 1, Page: page(agentsN(0, 10), 50, true)}, time.Now())
	s.apply(PageMsg{Gen: 1, Offset: 10, Page: page(nil, 50, true)}, time.Now())
	if s.more() {
		t.Fatal("still asking for more after an empty page")
	}
}

// TestLocalFilterAndSort: a server that does not page sends everything;
// the filter (name, id, harness) and the sort run here.
func TestLocalFilterAndSort(t *testing.T) {
	s := &source{gen: 1}
	list := []spec.Agent{
		{ID: "agent_c", Name: "Charlie", Harness: "codex", CreatedAt: 3},
		{ID: "agent_a", Name: "alpha", Harness: "opencode", CreatedAt: 1},
		{ID: "agent_b", Name: "Bravo", Harness: "claude-code", CreatedAt: 2},
	}
	s.apply(PageMsg{Gen: 1, Page: page(list, 0, false)}, time.Now())
	if !s.local() || names(s) != "alpha,Bravo,Charlie" {
		t.Fatalf("local=%v, rows %s", s.local(), names(s))
	}
	s.query = "CLAUDE"
	s.refilter()
	if names(s) != "Bravo" || len(s.trows) != 1 {
		t.Fatalf("filter by harness: %s", names(s))
	}
	s.query = "agent_c"
	s.refilter()
	if names(s) != "Charlie" {
		t.Fatalf("filter by id: %s", names(s))
	}
	s.query, s.sortIdx, s.desc = "", 1, true // created_at, newest first
	s.resort(time.Now())
	if names(s) != "Charlie,Bravo,alpha" {
		t.Fatalf("sort by created desc: %s", names(s))
	}
	s.remove("agent_b")
	if names(s) != "Charlie,alpha" || len(s.trows) != 2 || s.total != 2 {
		t.Fatalf("after remove: %s (%d rows, total %d)", names(s), len(s.trows), s.total)
	}
	s.replace(spec.Agent{ID: "agent_a", Name: "alpha", Status: spec.StatusPaused}, time.Now())
	if s.rows[1].Status != spec.StatusPaused || s.trows[1][3] != spec.StatusPaused {
		t.Fatalf("replace did not reach the row: %+v %v", s.rows[1], s.trows[1])
	}
}

func names(s *source) string {
	out := ""
	for i, a := range s.rows {
		if i > 0 {
			out += ","
		}
		out += a.Name
	}
	return out
}

func TestColumnsFitWidth(t *testing.T) {
	for _, w := range []int{60, 80, 100, 120, 200} {
		total := 0
		for _, c := range columns(w, maxHarness) {
			total += c.Width + 2
		}
		if w >= 80 && total > w {
			t.Errorf("width %d: columns take %d", w, total)
		}
	}
}

// TestHarnessColumnFitsItsLabels: at 80 columns the harness column
// widens to the widest label listed, and only as far as leaves the name
// and model columns over half of the shared space.
func TestHarnessColumnFitsItsLabels(t *testing.T) {
	need := len("[TUI] claude-code")
	if got := columns(80, need)[harnessColumn].Width; got < need {
		t.Errorf("80 columns, labels of %d: harness column %d", need, got)
	}
	narrow := columns(80, 0)[harnessColumn].Width
	if huge := columns(80, 200)[harnessColumn].Width; huge > maxHarness || huge-narrow > 10 {
		t.Errorf("a 200-wide label took the harness column from %d to %d", narrow, huge)
	}
	if got := harnessNeed([]table.Row{{"a", "[API] opencode"}, {"b", "[TUI] claude-code"}}); got != need {
		t.Errorf("harnessNeed = %d, want %d", got, need)
	}
}

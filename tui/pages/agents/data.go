package agents

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
)

// PageSize is how many agents one request fetches: enough to fill a tall
// screen twice, small enough that a page arrives in milliseconds.
const PageSize = 100

// FilterDelay is how long typing must pause before a server-side search
// is sent, so a fast typist sends one query rather than one per key.
const FilterDelay = 150 * time.Millisecond

// sortKeys cycles in this order; the first is the default because a
// name order is stable, unlike creation times that tie within a batch.
var sortKeys = []string{"name", "created_at", "harness"}

// PageMsg is one page of agents for generation Gen, starting at Offset.
// Responses of an older generation (a query since replaced) are dropped.
type PageMsg struct {
	Gen    int
	Offset int
	Page   *client.AgentPage
	Err    error
}

// FilterDebounceMsg fires FilterDelay after a keystroke in the filter; only
// the one whose Seq is still the latest sends a search.
type FilterDebounceMsg struct{ Seq int }

// source is the agents table's data: the rows loaded so far, as agents
// and as table rows, and how to get more. Against a paging server rows
// is a prefix of the server's ordering for the current query, grown on
// demand. Against a server that sends everything at once, all holds the
// lot, sorted, with a lower-cased search key and a table row per agent
// made once, so a filter keystroke is one pass over strings.
type source struct {
	owner       string // the scope's owner: only their agents are listed
	gen         int
	query       string
	sortIdx     int
	desc        bool
	rows        []*spec.Agent
	trows       []table.Row
	total       int
	serverPaged bool
	known       bool // a first response has said whether the server pages
	loading     bool
	filterSeq   int

	all     []spec.Agent
	allKeys []string
	allRows []table.Row
}

func (s *source) sortKey() string { return sortKeys[s.sortIdx] }

func (s *source) order() string {
	if s.desc {
		return "desc"
	}
	return "asc"
}

// more reports whether the server has rows not loaded yet.
func (s *source) more() bool { return s.serverPaged && len(s.rows) < s.total }

// local reports whether filtering and sorting happen here rather than on
// the server.
func (s *source) local() bool { return s.known && !s.serverPaged }

// reload starts a new generation from offset 0 and returns its fetch.
func (s *source) reload(c *client.Client, ctxFn ctxFunc) tea.Cmd {
	s.gen++
	s.loading = true
	return s.fetch(c, ctxFn, 0)
}

// next fetches the page after the loaded rows, if any and none is in flight.
func (s *source) next(c *client.Client, ctxFn ctxFunc) tea.Cmd {
	if s.loading || !s.more() {
		return nil
	}
	s.loading = true
	return s.fetch(c, ctxFn, len(s.rows))
}

func (s *source) fetch(c *client.Client, ctxFn ctxFunc, offset int) tea.Cmd {
	gen := s.gen
	p := client.ListAgentsParams{OwnerID: s.owner, Limit: PageSize, Offset: offset, Sort: s.sortKey(), Order: s.order()}
	if !s.known || s.serverPaged {
		p.Search = s.query
	}
	return func() tea.Msg {
		page, err := c.ListAgents(ctxFn(), p)
		return PageMsg{Gen: gen, Offset: offset, Page: page, Err: err}
	}
}

// apply takes a page in; it reports false for a stale response (older
// generation, or an offset that no longer follows the loaded rows).
func (s *source) apply(msg PageMsg, now time.Time) bool {
	if msg.Gen != s.gen {
		return false
	}
	s.loading = false
	if msg.Err != nil {
		return true
	}
	p := msg.Page
	s.known, s.serverPaged = true, p.ServerPaged
	if !p.ServerPaged {
		s.all = p.Agents
		s.total = len(p.Agents)
		s.resort(now)
		return true
	}
	switch {
	case msg.Offset == 0:
		s.rows = pointers(nil, p.Agents)
		s.trows = rows(nil, p.Agents, now)
	case msg.Offset == len(s.rows):
		s.rows = pointers(s.rows, p.Agents)
		s.trows = rows(s.trows, p.Agents, now)
	default:
		return false
	}
	s.total = p.Total
	if len(p.Agents) == 0 {
		// A server whose total overstates what it returns would
		// otherwise be asked for the same empty page forever.
		s.total = len(s.rows)
	}
	return true
}

// resort sorts the local set and rebuilds its keys and rows (on load and
// on a sort change only), then applies the filter.
func (s *source) resort(now time.Time) {
	key, desc := s.sortKey(), s.desc
	slices.SortStableFunc(s.all, func(a, b spec.Agent) int {
		var c int
		switch key {
		case "created_at":
			c = cmp.Compare(a.CreatedAt, b.CreatedAt)
		case "harness":
			c = cmp.Compare(a.Harness, b.Harness)
		default:
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		}
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			c = -c
		}
		return c
	})
	s.allKeys = make([]string, len(s.all))
	for i := range s.all {
		s.allKeys[i] = searchKey(&s.all[i])
	}
	s.allRows = rows(make([]table.Row, 0, len(s.all)), s.all, now)
	s.refilter()
}

// pointers appends pointers to each of agents to dst: rows point into
// the fetched pages (or the local set) rather than copying agents.
func pointers(dst []*spec.Agent, agents []spec.Agent) []*spec.Agent {
	for i := range agents {
		dst = append(dst, &agents[i])
	}
	return dst
}

// searchKey is what the local filter matches, like the server's search:
// name, id and harness, lower-cased.
func searchKey(a *spec.Agent) string {
	return strings.ToLower(a.Name + "\x00" + a.ID + "\x00" + a.Harness)
}

// loadedRows is every row loaded, filtered out or not: the columns are
// laid out for them, so they hold still while a filter narrows the view.
func (s *source) loadedRows() []table.Row {
	if !s.serverPaged && s.allRows != nil {
		return s.allRows
	}
	return s.trows
}

// refilter recomputes the local view from the sorted set.
func (s *source) refilter() {
	q := strings.ToLower(strings.TrimSpace(s.query))
	if q == "" {
		// The table rows are shared, not copied: edits go through
		// replace and remove, which change the set and refilter.
		s.rows, s.trows = pointers(s.rows[:0], s.all), s.allRows
		return
	}
	s.rows, s.trows = s.rows[:0], make([]table.Row, 0, len(s.rows))
	for i, k := range s.allKeys {
		if strings.Contains(k, q) {
			s.rows = append(s.rows, &s.all[i])
			s.trows = append(s.trows, s.allRows[i])
		}
	}
}

// replace swaps in a changed agent (after pause/resume, a new session)
// without a reload.
func (s *source) replace(a spec.Agent, now time.Time) {
	if s.local() {
		for i := range s.all {
			if s.all[i].ID == a.ID {
				s.all[i] = a
				s.allRows[i] = row(&a, now)
			}
		}
		s.refilter()
		return
	}
	for i := range s.rows {
		if s.rows[i].ID == a.ID {
			*s.rows[i] = a
			s.trows[i] = row(&a, now)
		}
	}
}

// remove drops a deleted agent from the loaded rows.
func (s *source) remove(id string) {
	match := func(a spec.Agent) bool { return a.ID == id }
	if s.local() {
		if i := slices.IndexFunc(s.all, match); i >= 0 {
			s.all = slices.Delete(s.all, i, i+1)
			s.allKeys = slices.Delete(s.allKeys, i, i+1)
			s.allRows = slices.Delete(s.allRows, i, i+1)
			s.total = len(s.all)
		}
		s.refilter()
		return
	}
	if i := slices.IndexFunc(s.rows, func(a *spec.Agent) bool { return a.ID == id }); i >= 0 {
		s.rows = slices.Delete(s.rows, i, i+1)
		s.trows = slices.Delete(s.trows, i, i+1)
		s.total = max(s.total-1, 0)
	}
}

package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Lists cost O(page), whatever the table size:
//
//   - total comes from agent_counts, kept by triggers in the writing
//     transaction, never from COUNT(*) over the table. A search counts its
//     matches through the trigram index, exactly up to searchCountSlack
//     past the page asked for; beyond that total is a lower bound that is
//     still larger than offset+len(agents), so "more follows" holds (see
//     docs/server.md).
//   - a page is read off the sort key's index (OFFSET skips index entries,
//     not rows: SQLite seeks a row only once it is returned). A page that
//     follows one served before (offset = previous offset + limit, nothing
//     changed meanwhile) is read by keyset from the previous page's last
//     key, not by OFFSET.

// searchCountSlack is how many matches past the page a search counts.
const searchCountSlack = 2000

// minTrigram is the shortest term the trigram index can find.
const minTrigram = 3

// sortColumns maps the contract's sort keys to indexed columns.
var sortColumns = map[string]string{"created_at": "created_at", "name": "name_fold", "harness": "harness"}

// pageRow is a row of a page: where it sits in the order, and which
// agent at which rev.
type pageRow struct {
	seq int64
	key any // the sort column's value
	id  string
	rev int64
}

// listAgents returns one page of agents and the size of the filtered set,
// both read in one snapshot.
func (s *store) listAgents(ctx context.Context, q agentQuery) ([]*agentRecord, int, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	counts, err := readCounts(ctx, tx, q.OwnerID)
	if err != nil {
		return nil, 0, err
	}
	var rows []pageRow
	total := counts.scope
	if q.Search == "" {
		rows, err = s.pages.scan(ctx, tx, q, counts.gen)
	} else {
		rows, total, err = searchPage(ctx, tx, q, counts.all)
	}
	if err != nil {
		return nil, 0, err
	}
	agents, err := s.pageAgents(ctx, tx, rows)
	return agents, total, err
}

// pageAgents returns the agents of a page's rows, each an opened copy:
// from the cache when it holds the row's rev, the others read whole in
// one query (their parts in a second) and cached.
func (s *store) pageAgents(ctx context.Context, tx querier, rows []pageRow) ([]*agentRecord, error) {
	agents := make([]*agentRecord, len(rows))
	var missing []int64
	for i, r := range rows {
		if agents[i] = s.agents.get(r.id, r.rev); agents[i] == nil {
			missing = append(missing, r.seq)
		}
	}
	if len(missing) > 0 {
		read, err := readAgentsBySeq(ctx, tx, missing)
		if err != nil {
			return nil, err
		}
		for i, r := range rows {
			if a, ok := read[r.seq]; ok && agents[i] == nil {
				agents[i] = a.rec
				s.agents.put(r.id, a.rev, a.rec)
			}
		}
	}
	for i, a := range agents {
		if a == nil {
			// Read in the same snapshot as the page, so it cannot be gone.
			return nil, fmt.Errorf("agent %s listed but not read", rows[i].id)
		}
		open := *a
		if err := s.openSecrets(&open); err != nil {
			return nil, err
		}
		agents[i] = &open
	}
	return agents, nil
}

// readAgentsBySeq reads whole agents (parts sealed) by seq.
func readAgentsBySeq(ctx context.Context, tx querier, seqs []int64) (map[int64]cachedAgent, error) {
	list, err := json.Marshal(seqs)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT a.seq, a.rev, "+agentColumnsOf("a")+
		" FROM json_each(?) j CROSS JOIN agents a ON a.seq = j.value", string(list))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]cachedAgent, len(seqs))
	var recs []*agentRecord
	var seq, rev int64
	err = scanAgentRows(rows, []any{&seq, &rev}, func(a *agentRecord) {
		out[seq] = cachedAgent{rev: rev, rec: a}
		recs = append(recs, a)
	})
	if err != nil {
		return nil, err
	}
	return out, loadSealedParts(ctx, tx, recs, false)
}

// listCounts are the maintained counts a list needs.
type listCounts struct {
	all   int   // every agent
	scope int   // agents of the owner asked for, or all
	gen   int64 // changes to listed columns so far
}

func readCounts(ctx context.Context, q querier, owner string) (listCounts, error) {
	var c listCounts
	ownerScope := "owner:" + owner
	err := eachRow(ctx, q, "SELECT scope, n FROM agent_counts WHERE scope IN ('*', 'gen', ?)", []any{ownerScope},
		func(rows *sql.Rows) error {
			var scope string
			var n int64
			if err := rows.Scan(&scope, &n); err != nil {
				return err
			}
			switch scope {
			case "*":
				c.all = int(n)
			case "gen":
				c.gen = n
			case ownerScope:
				c.scope = int(n)
			}
			return nil
		})
	if owner == "" {
		c.scope = c.all
	}
	return c, err
}

// listFilter is the WHERE of an ordered scan; the page query appends its
// own conditions after it.
func listFilter(q agentQuery) (conds []string, args []any) {
	if q.OwnerID != "" {
		conds = append(conds, "owner_id = ?")
		args = append(args, q.OwnerID)
	}
	if q.Search != "" {
		// instr on folded text rather than LIKE: no wildcard escaping, and
		// name_fold is lowered in Go so non-ASCII names match too. Ids are
		// generated in lowercase.
		term := strings.ToLower(q.Search)
		conds = append(conds, "(instr(name_fold, ?) > 0 OR instr(id, ?) > 0 OR instr(lower(harness), ?) > 0)")
		args = append(args, term, term, term)
	}
	return conds, args
}

// agentScanSQL is the ordered scan of a list: rows in sort order off the
// sort key's index, after a previous page's last key when after is set
// (keyset), else from OFFSET. It takes LIMIT and OFFSET after args.
func agentScanSQL(q agentQuery, after *pageRow) (string, []any) {
	conds, args := listFilter(q)
	col := sortColumns[q.Sort]
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	if after != nil {
		conds = append(conds, "("+col+", seq) "+cmp+" (?, ?)")
		args = append(args, after.key, after.seq)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	// seq (insertion order) breaks ties, so paging is stable and newest
	// first holds even when many agents share a created_at millisecond.
	return "SELECT seq, " + col + ", id, rev FROM agents" + where +
		" ORDER BY " + col + " " + dir + ", seq " + dir + " LIMIT ? OFFSET ?", args
}

// agentMatchesSQL sorts a search's matches, given as a JSON array of
// seqs: they are few (searchPage chose it so), so sorting them is
// cheaper than scanning the order for them. It takes the array, then
// LIMIT and OFFSET.
func agentMatchesSQL(q agentQuery) string {
	col := sortColumns[q.Sort]
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	// CROSS JOIN keeps the matches as the outer loop.
	return "SELECT a.seq, a." + col + ", a.id, a.rev FROM json_each(?) m CROSS JOIN agents a ON a.seq = m.value" +
		" ORDER BY a." + col + " " + dir + ", a.seq " + dir + " LIMIT ? OFFSET ?"
}

// ftsPhrase quotes a term as one FTS5 phrase: the trigram tokenizer then
// matches it as a substring.
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}

// searchPage finds a search's page and counts its matches. A term of
// three or more characters is counted through the trigram index; the
// page then comes from whichever costs less: sorting the matches, or
// scanning the order until enough of them are seen (matches are dense).
// Shorter terms, which trigrams cannot find, scan the order; they match
// most rows, so the scan stops early, and the count stops at its cap.
func searchPage(ctx context.Context, tx querier, q agentQuery, all int) ([]pageRow, int, error) {
	term := strings.ToLower(q.Search)
	countCap := q.Offset + q.Limit + searchCountSlack
	if utf8.RuneCountInString(term) < minTrigram {
		conds, args := listFilter(q)
		// Without an owner, the count reads the narrow index that holds
		// every searched column, not the wide rows.
		from := "agents INDEXED BY agents_created"
		if q.OwnerID != "" {
			from = "agents"
		}
		var matches int
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+from+" WHERE "+strings.Join(conds, " AND ")+" LIMIT ?)",
			append(args, countCap)...).Scan(&matches)
		if err != nil {
			return nil, 0, err
		}
		pageSQL, args := agentScanSQL(q, nil)
		rows, err := queryPage(ctx, tx, pageSQL, append(args, q.Limit, q.Offset))
		return rows, matches, err
	}
	// One pass over the index both counts the matches (up to the cap)
	// and collects them, in SQL, so the page need not match again.
	match := ftsPhrase(term)
	inner, args := "SELECT rowid AS seq FROM agents_fts WHERE agents_fts MATCH ? LIMIT ?", []any{match, countCap}
	if q.OwnerID != "" {
		inner = "SELECT f.rowid AS seq FROM agents_fts f CROSS JOIN agents a ON a.seq = f.rowid WHERE agents_fts MATCH ? AND a.owner_id = ? LIMIT ?"
		args = []any{match, q.OwnerID, countCap}
	}
	var matches int
	var seqs string
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*), json_group_array(seq) FROM ("+inner+")", args...).Scan(&matches, &seqs)
	if err != nil {
		return nil, 0, err
	}
	var pageSQL string
	if matches < countCap && sortCheaper(matches, q.Offset+q.Limit, all) {
		pageSQL, args = agentMatchesSQL(q), []any{seqs}
	} else {
		pageSQL, args = agentScanSQL(q, nil)
	}
	rows, err := queryPage(ctx, tx, pageSQL, append(args, q.Limit, q.Offset))
	return rows, matches, err
}

// sortCheaper reports whether sorting m matches costs less than scanning
// the order for the first need of them among all rows.
func sortCheaper(m, need, all int) bool {
	if m == 0 {
		return true
	}
	return m <= need*all/m
}

// queryPage runs a page query: seq, the sort key, id and rev.
func queryPage(ctx context.Context, q querier, query string, args []any) ([]pageRow, error) {
	var out []pageRow
	err := eachRow(ctx, q, query, args, func(rows *sql.Rows) error {
		var r pageRow
		if err := rows.Scan(&r.seq, &r.key, &r.id, &r.rev); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// agentColumnsOf is agentColumns qualified by a table alias.
func agentColumnsOf(alias string) string {
	cols := strings.Split(agentColumns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// pageKeys remembers where recent pages ended, so the page after one
// just served starts from its last key instead of skipping offset rows.
// An entry holds only while agent_counts' gen is unchanged: any write to
// a listed column moves positions, and the next page then falls back to
// OFFSET (exact in its own snapshot).
type pageKeys struct {
	mu   sync.Mutex
	ends map[string]pageEnd
}

type pageEnd struct {
	gen  int64
	last pageRow
}

// maxPageKeys bounds the memory of remembered page ends.
const maxPageKeys = 512

func pageKeyOf(q agentQuery, offset int) string {
	return fmt.Sprintf("%s\x00%s\x00%t\x00%d", q.OwnerID, q.Sort, q.Desc, offset)
}

// scan reads an unsearched page, by keyset when it follows a page
// served at the same gen.
func (p *pageKeys) scan(ctx context.Context, tx querier, q agentQuery, gen int64) ([]pageRow, error) {
	p.mu.Lock()
	end, ok := p.ends[pageKeyOf(q, q.Offset)]
	p.mu.Unlock()
	var query string
	var args []any
	if ok && end.gen == gen && q.Offset > 0 {
		query, args = agentScanSQL(q, &end.last)
		args = append(args, q.Limit, 0)
	} else {
		query, args = agentScanSQL(q, nil)
		args = append(args, q.Limit, q.Offset)
	}
	rows, err := queryPage(ctx, tx, query, args)
	if err != nil || len(rows) < q.Limit {
		return rows, err
	}
	p.mu.Lock()
	if p.ends == nil || len(p.ends) >= maxPageKeys {
		p.ends = make(map[string]pageEnd)
	}
	last := rows[len(rows)-1]
	p.ends[pageKeyOf(q, q.Offset+len(rows))] = pageEnd{gen: gen, last: pageRow{seq: last.seq, key: last.key}}
	p.mu.Unlock()
	return rows, nil
}

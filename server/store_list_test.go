package server

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lapctl/spec"
)

// TestSearchAndPagingMatchABruteForce checks every list the store can
// answer against a filter and sort done in Go over the same agents: each
// sort order and direction, with and without an owner, search terms of
// one to several characters (below and above what trigrams index), in
// any case, walked page by page (so later pages come by keyset), and
// again after renames and deletes (so the triggers keep the index and
// counts in step).
func TestSearchAndPagingMatchABruteForce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openTestStore(t, t.TempDir())
	harnesses := []string{"opencode", "claude-code", "codex"}
	var all []*agentRecord
	for i := range 150 {
		name := fmt.Sprintf("Agent-%03d", i)
		if i%7 == 0 {
			name = fmt.Sprintf("Ünïcode Ägent %d", i)
		}
		a := &agentRecord{AgentSpec: spec.AgentSpec{Name: name, OwnerID: fmt.Sprintf("o%d", i%3), Harness: harnesses[i%3]},
			ID: newID(prefixAgent), Status: spec.StatusPaused, CreatedAt: int64(1000 + i/4), UpdatedAt: 1}
		if err := st.createAgent(ctx, a); err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	check := func(stage string) {
		for _, term := range []string{"", "a", "Ä", "07", "gent-01", "ÄGENT", "CODE", "x", "agt_", "zzz", "e-1"} {
			for _, sortKey := range spec.SortKeys {
				for _, owner := range []string{"", "o1"} {
					for _, desc := range []bool{true, false} {
						q := agentQuery{OwnerID: owner, Search: term, Sort: sortKey, Desc: desc, Limit: 7}
						want := bruteForce(all, q)
						var got []string
						total := -1
						for q.Offset = 0; ; q.Offset += q.Limit {
							page, n, err := st.listAgents(ctx, q)
							if err != nil {
								t.Fatal(err)
							}
							if total == -1 {
								total = n
							}
							for _, a := range page {
								got = append(got, a.ID)
							}
							if len(page) < q.Limit {
								break
							}
						}
						if !slices.Equal(got, want) || total != len(want) {
							t.Fatalf("%s: %+v: got %d (total %d), want %d:\n%v\n%v", stage, q, len(got), total, len(want), got, want)
						}
					}
				}
			}
		}
	}
	check("created")
	for i, a := range all[:40] {
		if i%2 == 0 {
			if err := st.deleteAgent(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			continue
		}
		a2, err := st.updateAgent(ctx, a.ID, func(r *agentRecord) error {
			r.Name, r.OwnerID, r.Harness = "Renamed zzz "+r.Name, "o1", "codex"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		*a = *a2
	}
	all = slices.DeleteFunc(all, func(a *agentRecord) bool {
		_, err := st.getAgent(ctx, a.ID, false)
		return isNotFound(err)
	})
	check("after renames and deletes")
	if n, err := st.agentCount(ctx); err != nil || n != len(all) {
		t.Fatalf("agentCount = %d, %v; want %d", n, err, len(all))
	}
}

// bruteForce is the list's contract done in Go.
func bruteForce(all []*agentRecord, q agentQuery) []string {
	term := strings.ToLower(q.Search)
	var rows []*agentRecord
	for _, a := range all {
		if q.OwnerID != "" && a.OwnerID != q.OwnerID {
			continue
		}
		if term != "" && !strings.Contains(strings.ToLower(a.Name), term) && !strings.Contains(a.ID, term) &&
			!strings.Contains(strings.ToLower(a.Harness), term) {
			continue
		}
		rows = append(rows, a)
	}
	seq := map[string]int{}
	for i, a := range all {
		seq[a.ID] = i // creation order is seq order
	}
	slices.SortFunc(rows, func(a, b *agentRecord) int {
		var c int
		switch q.Sort {
		case "name":
			c = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "harness":
			c = strings.Compare(a.Harness, b.Harness)
		default:
			c = cmp.Compare(a.CreatedAt, b.CreatedAt)
		}
		if c == 0 {
			c = cmp.Compare(seq[a.ID], seq[b.ID])
		}
		if q.Desc {
			c = -c
		}
		return c
	})
	ids := make([]string, len(rows))
	for i, a := range rows {
		ids[i] = a.ID
	}
	return ids
}

// TestSearchPlansSortOnlyTheMatches: a search with few matches reads
// them by seq, not by a scan of the table.
func TestSearchPlansSortOnlyTheMatches(t *testing.T) {
	t.Parallel()
	st := openTestStore(t, t.TempDir())
	plan := queryPlan(t, st, agentMatchesSQL(agentQuery{Sort: "name", Desc: true}), []any{"[1,2]", 50, 0})
	if !strings.HasPrefix(plan, "SCAN m VIRTUAL TABLE") || !strings.Contains(plan, "SEARCH a USING INTEGER PRIMARY KEY") {
		t.Fatalf("search plan %q does not start from the matches", plan)
	}
}

// TestMigrationBuildsTheIndexForExistingAgents opens a database written
// at schema version 1 (no index, no counts) and finds its agents by
// search and counted.
func TestMigrationBuildsTheIndexForExistingAgents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	st := openTestStore(t, dir)
	// Back to version 1: what an older lapctl left.
	for _, stmt := range []string{"DROP TRIGGER agents_counted_insert", "DROP TRIGGER agents_counted_delete",
		"DROP TRIGGER agents_counted_update", "DROP TABLE agents_fts", "DROP TABLE agent_counts", "ALTER TABLE agents DROP COLUMN rev",
		"PRAGMA user_version = 1"} {
		if _, err := st.w.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		_, err := st.w.Exec(`INSERT INTO agents (id, name, name_fold, owner_id, status, harness, created_at, updated_at)
			VALUES (?, ?, ?, 'old', 'paused', 'codex', ?, ?)`, fmt.Sprintf("agt_old%d", i), fmt.Sprintf("Legacy-%d", i),
			fmt.Sprintf("legacy-%d", i), i, i)
		if err != nil {
			t.Fatal(err)
		}
	}
	st.close()
	st = openTestStore(t, dir)
	page, total, err := st.listAgents(ctx, agentQuery{Search: "LEGACY-3", Sort: "created_at", Limit: 10})
	if err != nil || total != 1 || len(page) != 1 || page[0].ID != "agt_old3" {
		t.Fatalf("search after migration: %v, total %d, %v", page, total, err)
	}
	if _, total, _ := st.listAgents(ctx, agentQuery{OwnerID: "old", Sort: "name", Limit: 2}); total != 5 {
		t.Fatalf("owner total after migration = %d", total)
	}
}

// TestWriterLeavesCheckpointsToTheBackground: the writer connection never
// checkpoints on commit, and the checkpointer does after writes.
func TestWriterLeavesCheckpointsToTheBackground(t *testing.T) {
	t.Parallel()
	st := openTestStore(t, t.TempDir())
	var auto int
	if err := st.w.QueryRow("PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d, %v; want 0", auto, err)
	}
	before := st.ckpt.runs.Load()
	if err := st.createSkill(context.Background(), &spec.Skill{ID: "skill_x", Name: "x", Content: "c"}); err != nil {
		t.Fatal(err)
	}
	for deadline := 0; st.ckpt.runs.Load() == before; deadline++ {
		if deadline > 100 {
			t.Fatal("no checkpoint ran within 100 ticks of a write")
		}
		<-time.After(checkpointEvery)
	}
}

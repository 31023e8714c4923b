package client

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"lapctl/spec"
)

// pageLocally applies a list query to every agent a server sent, for
// servers that ignore owner, search, sort or paging: the page matches
// what the lapctl dialect's server would return for the same query.
func pageLocally(all []spec.Agent, p ListAgentsParams) *AgentPage {
	kept := make([]spec.Agent, 0, len(all))
	q := strings.ToLower(strings.TrimSpace(p.Search))
	for _, a := range all {
		if p.OwnerID != "" && a.OwnerID != p.OwnerID {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(a.Name), q) && !strings.Contains(strings.ToLower(a.ID), q) &&
			!strings.Contains(strings.ToLower(a.Harness), q) {
			continue
		}
		kept = append(kept, a)
	}
	sortAgents(kept, p.Sort, p.Order)
	limit := p.Limit
	if limit <= 0 {
		limit = spec.DefaultListLimit
	}
	limit = min(limit, spec.MaxListLimit)
	off := min(max(p.Offset, 0), len(kept))
	end := min(off+limit, len(kept))
	return &AgentPage{
		AgentList:   spec.AgentList{Agents: slices.Clone(kept[off:end]), Total: len(kept), Limit: limit, Offset: off},
		ServerPaged: true,
	}
}

func sortAgents(agents []spec.Agent, key, order string) {
	desc := order != "asc"
	slices.SortStableFunc(agents, func(a, b spec.Agent) int {
		var c int
		switch key {
		case "name":
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "harness":
			c = cmp.Compare(a.Harness, b.Harness)
		default:
			c = cmp.Compare(a.CreatedAt, b.CreatedAt)
		}
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			return -c
		}
		return c
	})
}

// flexTime reads a time the platform sent as Unix milliseconds, Unix
// seconds or an ISO string, as Unix milliseconds (0 when absent).
func flexTime(v any) int64 {
	switch t := v.(type) {
	case float64:
		if t < 1e11 { // seconds
			return int64(t * 1000)
		}
		return int64(t)
	case string:
		for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02 15:04:05"} {
			if parsed, err := time.Parse(layout, t); err == nil {
				return parsed.UnixMilli()
			}
		}
	}
	return 0
}

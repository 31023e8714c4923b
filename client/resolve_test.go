package client_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"lapctl/client"
)

const notFound = `{"error":{"type":"not_found","message":"not found"}}`

func wantRefError(t *testing.T, err error, kind, ref string, candidates []string) {
	t.Helper()
	var re *client.RefError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want *RefError", err, err)
	}
	if re.Kind != kind || re.Ref != ref || !reflect.DeepEqual(re.Candidates, candidates) {
		t.Fatalf("RefError = %+v, want kind %s ref %q candidates %v", *re, kind, ref, candidates)
	}
	msg := err.Error()
	if len(candidates) == 0 {
		if !strings.Contains(msg, "no "+kind+" matches") || !strings.Contains(msg, "lapctl "+kind+"s list") {
			t.Errorf("message %q", msg)
		}
	} else {
		for _, c := range candidates {
			if !strings.Contains(msg, c) {
				t.Errorf("message %q does not list %q", msg, c)
			}
		}
		if !strings.Contains(msg, "give a full id") {
			t.Errorf("message %q does not say what to do", msg)
		}
	}
	if client.StatusOf(err) != 0 {
		t.Errorf("RefError has a status")
	}
}

func TestResolveAgent(t *testing.T) {
	ctx := context.Background()
	list := func(search, agents string) *route {
		return &route{method: "GET", path: "/api/agents", query: q("limit", "200", "search", search),
			resp: `{"agents":` + agents + `,"total":` + countOf(agents) + `}`}
	}
	t.Run("exact id asks for that agent only", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/agents/agent_7f3a", resp: fixture(t, "agent_full.json")})
		a, err := m.client().ResolveAgent(ctx, "  agent_7f3a\n")
		if err != nil || a.ID != "agent_7f3a" || a.Name != "reviewer" {
			t.Fatalf("ResolveAgent = %+v, %v", a, err)
		}
	})
	t.Run("name, case-insensitive, beats a longer match", func(t *testing.T) {
		m := newMock(t)
		m.on(list("Reviewer", `[{"id":"agent_2","name":"reviewer-2"},{"id":"agent_1","name":"reviewer"}]`))
		a, err := m.client().ResolveAgent(ctx, "Reviewer")
		if err != nil || a.ID != "agent_1" {
			t.Fatalf("ResolveAgent = %+v, %v", a, err)
		}
	})
	t.Run("unique id prefix after the exact id is not found", func(t *testing.T) {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/agents/agent_7f", status: 404, resp: notFound},
			list("agent_7f", `[{"id":"agent_7f3a","name":"x"}]`),
		)
		a, err := m.client().ResolveAgent(ctx, "agent_7f")
		if err != nil || a.ID != "agent_7f3a" {
			t.Fatalf("ResolveAgent = %+v, %v", a, err)
		}
	})
	t.Run("exact id in the list beats a name", func(t *testing.T) {
		m := newMock(t)
		m.on(list("bot", `[{"id":"x1","name":"bot"},{"id":"bot","name":"other"}]`))
		a, err := m.client().ResolveAgent(ctx, "bot")
		if err != nil || a.ID != "bot" {
			t.Fatalf("ResolveAgent = %+v, %v", a, err)
		}
	})
	t.Run("a name beats an id prefix", func(t *testing.T) {
		m := newMock(t)
		m.on(list("bo", `[{"id":"bot1","name":"x"},{"id":"y","name":"bo"}]`))
		a, err := m.client().ResolveAgent(ctx, "bo")
		if err != nil || a.ID != "y" {
			t.Fatalf("ResolveAgent = %+v, %v", a, err)
		}
	})
	t.Run("ambiguous name", func(t *testing.T) {
		m := newMock(t)
		m.on(list("bot", `[{"id":"agent_1","name":"bot"},{"id":"agent_2","name":"BOT"},{"id":"agent_3","name":"bot2"}]`))
		a, err := m.client().ResolveAgent(ctx, "bot")
		if a != nil {
			t.Errorf("got %+v", a)
		}
		wantRefError(t, err, "agent", "bot", []string{"agent_1 (bot)", "agent_2 (BOT)"})
	})
	t.Run("ambiguous prefix", func(t *testing.T) {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/agents/agent_a", status: 404, resp: notFound},
			list("agent_a", `[{"id":"agent_a1","name":"one"},{"id":"agent_a2","name":"two"}]`),
		)
		_, err := m.client().ResolveAgent(ctx, "agent_a")
		wantRefError(t, err, "agent", "agent_a", []string{"agent_a1 (one)", "agent_a2 (two)"})
	})
	t.Run("no match", func(t *testing.T) {
		m := newMock(t)
		m.on(list("ghost", `[{"id":"agent_1","name":"xghostx"}]`))
		_, err := m.client().ResolveAgent(ctx, "ghost")
		wantRefError(t, err, "agent", "ghost", nil)
	})
	t.Run("other errors stop the lookup", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/agents/agent_1", status: 401, resp: `{"error":{"type":"unauthorized","message":"bad key"}}`})
		a, err := m.client().ResolveAgent(ctx, "agent_1")
		if a != nil || !client.IsUnauthorized(err) {
			t.Fatalf("ResolveAgent = %+v, %v", a, err)
		}
	})
}

func countOf(agentsJSON string) string {
	return strconv.Itoa(strings.Count(agentsJSON, `"id"`))
}

func TestResolveSession(t *testing.T) {
	ctx := context.Background()
	sessions := `[{"id":"ses_aa1","title":"fix bug"},{"id":"ses_aa2","title":"Fix Bug"},{"id":"ses_b7","title":"docs"}]`
	t.Run("exact id", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/session/ses_9b1", resp: fixture(t, "session_tui.json")})
		s, err := m.client().ResolveSession(ctx, "ses_9b1")
		if err != nil || s.ID != "ses_9b1" {
			t.Fatalf("ResolveSession = %+v, %v", s, err)
		}
	})
	for _, tc := range []struct {
		ref        string
		get        bool // an id-looking ref is first fetched directly
		want       string
		candidates []string
	}{
		{"docs", false, "ses_b7", nil},
		{"DOCS", false, "ses_b7", nil},
		{"ses_b", true, "ses_b7", nil},
		{"fix bug", false, "", []string{"ses_aa1 (fix bug)", "ses_aa2 (Fix Bug)"}},
		{"ses_aa", true, "", []string{"ses_aa1 (fix bug)", "ses_aa2 (Fix Bug)"}},
		{"nothing", false, "", nil},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			m := newMock(t)
			if tc.get {
				m.on(&route{method: "GET", path: "/session/" + tc.ref, status: 404, resp: notFound})
			}
			m.on(&route{method: "GET", path: "/session", resp: sessions})
			s, err := m.client().ResolveSession(ctx, tc.ref)
			if tc.want != "" {
				if err != nil || s.ID != tc.want {
					t.Fatalf("ResolveSession(%q) = %+v, %v", tc.ref, s, err)
				}
				return
			}
			wantRefError(t, err, "session", tc.ref, tc.candidates)
		})
	}
}

func TestResolveSkill(t *testing.T) {
	ctx := context.Background()
	skills := `{"skills":[{"id":"skill_r1","name":"review"},{"id":"skill_r2","name":"refactor"},{"id":"skill_t","name":"Review"}]}`
	t.Run("exact id", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/skills/skill_1", resp: skillJSON})
		s, err := m.client().ResolveSkill(ctx, "skill_1")
		if err != nil || *s != skillWant {
			t.Fatalf("ResolveSkill = %+v, %v", s, err)
		}
	})
	for _, tc := range []struct {
		ref        string
		get        bool
		want       string
		candidates []string
	}{
		{"refactor", false, "skill_r2", nil},
		{"skill_t", false, "skill_t", nil}, // found directly
		{"skill_r2", true, "skill_r2", nil},
		{"review", false, "", []string{"skill_r1 (review)", "skill_t (Review)"}},
		{"skill_r", true, "", []string{"skill_r1 (review)", "skill_r2 (refactor)"}},
		{"skill_zz", true, "", nil},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			m := newMock(t)
			switch {
			case tc.ref == "skill_t":
				m.on(&route{method: "GET", path: "/api/skills/skill_t", resp: `{"id":"skill_t","name":"Review"}`})
			case tc.get:
				m.on(&route{method: "GET", path: "/api/skills/" + tc.ref, status: 404, resp: notFound},
					&route{method: "GET", path: "/api/skills", resp: skills})
			default:
				m.on(&route{method: "GET", path: "/api/skills", resp: skills})
			}
			s, err := m.client().ResolveSkill(ctx, tc.ref)
			if tc.want != "" {
				if err != nil || s.ID != tc.want {
					t.Fatalf("ResolveSkill(%q) = %+v, %v", tc.ref, s, err)
				}
				return
			}
			wantRefError(t, err, "skill", tc.ref, tc.candidates)
		})
	}
}

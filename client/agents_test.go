package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/spec"
)

func ptr[T any](v T) *T { return &v }

func TestListAgentsQuery(t *testing.T) {
	for _, tc := range []struct {
		desc  string
		p     client.ListAgentsParams
		query string
	}{
		{"no params", client.ListAgentsParams{}, ""},
		{"every param", client.ListAgentsParams{OwnerID: "user 1", Search: "Re&view", Limit: 25, Offset: 50, Sort: "name", Order: "asc"},
			"limit=25&offset=50&order=asc&owner_id=user+1&search=Re%26view&sort=name"},
		{"zero limit and offset are left out", client.ListAgentsParams{Search: "x", Limit: 0, Offset: 0}, "search=x"},
		{"negative limit is left out", client.ListAgentsParams{Limit: -1, Offset: -5}, ""},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			m := newMock(t)
			m.on(&route{method: "GET", path: "/api/agents", query: mustQuery(t, tc.query),
				resp: `{"agents":[],"total":0,"limit":50,"offset":0}`})
			if _, err := m.client().ListAgents(context.Background(), tc.p); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestListAgentsPage(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/api/agents", query: q("limit", "2", "offset", "2"),
		resp: `{"agents":[` + fixture(t, "agent_full.json") + `,{"id":"agent_2","name":"b"}],"total":7,"limit":2,"offset":2}`})
	page, err := m.client().ListAgents(context.Background(), client.ListAgentsParams{Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !page.ServerPaged || page.Total != 7 || page.Limit != 2 || page.Offset != 2 || len(page.Agents) != 2 {
		t.Fatalf("page = %+v", page)
	}
	a := page.Agents[0]
	if a.ID != "agent_7f3a" || a.EnvVars["GITHUB_TOKEN"] != "ghp_fixture" || a.SessionCount != 2 || !a.SupportsTUI {
		t.Errorf("agent decoded as %+v", a)
	}
}

func TestListAgentsServerWithoutPaging(t *testing.T) {
	m := newMock(t)
	// A hosted server that ignores paging: no total, limit or offset.
	m.on(&route{method: "GET", path: "/api/agents", query: q("limit", "10"),
		resp: `{"agents":[` + fixture(t, "agent_hosted.json") + `,{"id":"agent_2"},{"id":"agent_3"}]}`})
	page, err := m.client().ListAgents(context.Background(), client.ListAgentsParams{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Paged locally: the page is the one a paging server would send.
	if !page.ServerPaged || page.Total != 3 || page.Limit != 10 || page.Offset != 0 || len(page.Agents) != 3 {
		t.Fatalf("page = %+v", page)
	}
	// [ext] fields the hosted server omits decode as zero values.
	a := page.Agents[0]
	if a.UpdatedAt != 0 || a.SessionCount != 0 || a.SupportsTUI || a.EnvVars != nil || a.Branch != "" {
		t.Errorf("hosted agent = %+v", a)
	}
	if a.Config["runtime"] != "cloud" || string(a.Tools) != "[]" {
		t.Errorf("hosted agent config %v tools %s", a.Config, a.Tools)
	}
}

func TestListAgentsNullAgents(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/api/agents", resp: `{"agents":null,"total":0}`})
	page, err := m.client().ListAgents(context.Background(), client.ListAgentsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Agents == nil || len(page.Agents) != 0 || !page.ServerPaged {
		t.Errorf("page = %+v, want an empty, non-nil list", page)
	}
}

func agentsJSON(from, to int) string {
	var parts []string
	for i := from; i < to; i++ {
		parts = append(parts, fmt.Sprintf(`{"id":"agent_%03d","name":"a%d"}`, i, i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestListAllAgentsWalksPages(t *testing.T) {
	m := newMock(t)
	// The server caps pages at 2 whatever the client asks.
	m.on(
		&route{method: "GET", path: "/api/agents", query: q("limit", "200", "search", "a", "owner_id", "u"),
			resp: `{"agents":` + agentsJSON(0, 2) + `,"total":5,"limit":2,"offset":0}`},
		&route{method: "GET", path: "/api/agents", query: q("limit", "200", "offset", "2", "search", "a", "owner_id", "u"),
			resp: `{"agents":` + agentsJSON(2, 4) + `,"total":5,"limit":2,"offset":2}`},
		&route{method: "GET", path: "/api/agents", query: q("limit", "200", "offset", "4", "search", "a", "owner_id", "u"),
			resp: `{"agents":` + agentsJSON(4, 5) + `,"total":5,"limit":2,"offset":4}`},
	)
	all, err := m.client().ListAllAgents(context.Background(), client.ListAgentsParams{Search: "a", OwnerID: "u", Limit: 3, Offset: 9})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range all {
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "agent_000,agent_001,agent_002,agent_003,agent_004" {
		t.Errorf("ids = %v", ids)
	}
}

func TestListAllAgentsStops(t *testing.T) {
	t.Run("unpaged server: one request", func(t *testing.T) {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/api/agents", query: q("limit", "200"), resp: `{"agents":` + agentsJSON(0, 3) + `}`})
		all, err := m.client().ListAllAgents(context.Background(), client.ListAgentsParams{})
		if err != nil || len(all) != 3 {
			t.Fatalf("got %d agents, %v", len(all), err)
		}
	})
	t.Run("short page before total", func(t *testing.T) {
		// total says 10 but the second page is empty (agents were deleted meanwhile).
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/agents", query: q("limit", "200"), resp: `{"agents":` + agentsJSON(0, 2) + `,"total":10}`},
			&route{method: "GET", path: "/api/agents", query: q("limit", "200", "offset", "2"), resp: `{"agents":[],"total":10}`},
		)
		all, err := m.client().ListAllAgents(context.Background(), client.ListAgentsParams{})
		if err != nil || len(all) != 2 {
			t.Fatalf("got %d agents, %v", len(all), err)
		}
	})
	t.Run("an error on a later page", func(t *testing.T) {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/agents", query: q("limit", "200"), resp: `{"agents":` + agentsJSON(0, 1) + `,"total":2}`},
			&route{method: "GET", path: "/api/agents", query: q("limit", "200", "offset", "1"), status: 500, resp: `{"error":"db"}`},
		)
		all, err := m.client().ListAllAgents(context.Background(), client.ListAgentsParams{})
		if client.StatusOf(err) != 500 || all != nil {
			t.Fatalf("got %v, %v", all, err)
		}
	})
}

func TestGetAgent(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/api/agents/agent_7f3a", resp: fixture(t, "agent_full.json")},
		// Ids are one escaped path segment, trimmed.
		&route{method: "GET", path: "/api/agents/a%2Fb%3Fc=d%20e", resp: `{"id":"a/b?c=d e"}`},
	)
	c := m.client()
	a, err := c.GetAgent(context.Background(), "agent_7f3a")
	if err != nil {
		t.Fatal(err)
	}
	var want spec.Agent
	if err := json.Unmarshal([]byte(fixture(t, "agent_full.json")), &want); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(a.Raw)) != strings.TrimSpace(fixture(t, "agent_full.json")) {
		t.Errorf("Raw = %s, want the server's object as sent", a.Raw)
	}
	want.Raw = a.Raw
	if !reflect.DeepEqual(*a, want) {
		t.Errorf("GetAgent = %+v\nwant %+v", *a, want)
	}
	if a.SandboxFiles[0].Content != "" || a.SandboxFiles[0].Size != 5 || a.CreatedAt != 1700000000000 || a.UpdatedAt != 1700000005000 {
		t.Errorf("agent = %+v", a)
	}
	if _, err := c.GetAgent(context.Background(), "  a/b?c=d e "); err != nil {
		t.Fatal(err)
	}
}

func TestGetAgentNotFound(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/api/agents/agent_x", status: 404,
		resp: `{"error":{"type":"not_found","message":"agent agent_x not found"}}`})
	a, err := m.client().GetAgent(context.Background(), "agent_x")
	if a != nil || !client.IsNotFound(err) || !strings.Contains(err.Error(), "agent agent_x not found") {
		t.Fatalf("GetAgent = %v, %v", a, err)
	}
}

func TestCreateAgent(t *testing.T) {
	s := &spec.AgentSpec{
		Name: "reviewer", OwnerID: "user_1", Model: "anthropic/claude-sonnet-4-6",
		System: "Review PRs.", Harness: "claude-code", Runtime: ptr("local"),
		Config: map[string]any{"max_turns": 5}, Tools: json.RawMessage(`[{"type":"bash"}]`),
		Requirements: "requests\n", RepoURL: "git@github.com:acme/app.git", Branch: "dev",
		MCPServers: []string{"github"}, AllowOut: []string{"github.com"}, DenyOut: []string{"evil.test"},
		EnvVars:  map[string]string{"GITHUB_TOKEN": "ghp_abc", "HTML": "<a&b>"},
		SkillIDs: []string{"skill_1", "skill_2"},
		SandboxFiles: []spec.SandboxFile{
			{Name: "notes", SandboxPath: "~/notes.md", Content: "aGVsbG8=", ContentType: "text/markdown", Size: 5},
		},
	}
	m := newMock(t)
	m.on(&route{method: "POST", path: "/api/agents", status: http.StatusCreated,
		body: `{"name":"reviewer","owner_id":"user_1","model":"anthropic/claude-sonnet-4-6",
			"system":"Review PRs.","harness":"claude-code","runtime":"local",
			"config":{"max_turns":5},"tools":[{"type":"bash"}],"requirements":"requests\n",
			"repo_url":"git@github.com:acme/app.git","branch":"dev","mcp_servers":["github"],
			"allow_out":["github.com"],"deny_out":["evil.test"],
			"env_vars":{"GITHUB_TOKEN":"ghp_abc","HTML":"<a&b>"},"skill_ids":["skill_1","skill_2"],
			"sandbox_files":[{"name":"notes","sandbox_path":"~/notes.md","content":"aGVsbG8=","content_type":"text/markdown","size":5}]}`,
		resp: fixture(t, "agent_full.json")})
	a, err := m.client().CreateAgent(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "agent_7f3a" || a.Status != spec.StatusPaused {
		t.Errorf("created %+v", a)
	}
}

func TestCreateAgentMinimalBody(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "POST", path: "/api/agents", status: 201,
		body: `{"name":"a","owner_id":"o"}`, resp: `{"id":"agent_1","name":"a","owner_id":"o","status":"paused"}`})
	a, err := m.client().CreateAgent(context.Background(), &spec.AgentSpec{Name: "a", OwnerID: "o"})
	if err != nil || a.ID != "agent_1" {
		t.Fatalf("CreateAgent = %+v, %v", a, err)
	}
}

func TestCreateAgentInvalidSendsNothing(t *testing.T) {
	m := newMock(t) // no routes: any request fails the test
	for _, s := range []*spec.AgentSpec{
		{Name: " ", OwnerID: "o"},
		{Name: "a", OwnerID: "o", EnvVars: map[string]string{"GIT_TOKEN": "x"}},
		{Name: "a", OwnerID: "o", RepoURL: "github.com/a/b"},
		{Name: "a", OwnerID: "o", SandboxFiles: []spec.SandboxFile{{Name: "f", SandboxPath: "f", Content: "eA==", Size: 1}}},
	} {
		a, err := m.client().CreateAgent(context.Background(), s)
		var es spec.Errors
		if a != nil || !errors.As(err, &es) || len(es) != 1 {
			t.Errorf("CreateAgent(%+v) = %v, %v; want spec.Errors", s, a, err)
		}
		if client.StatusOf(err) != 0 {
			t.Errorf("local validation error has a status: %v", err)
		}
	}
}

func TestCreateAgentServerRefuses(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "POST", path: "/api/agents", status: 400, anyBody: true,
		header: map[string]string{"X-Request-Id": "req_123"},
		resp:   `{"error":{"type":"invalid_request","message":"unknown harness \"nope\"","field":"harness"}}`})
	_, err := m.client().CreateAgent(context.Background(), &spec.AgentSpec{Name: "a", OwnerID: "o", Harness: "nope"})
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	want := client.APIError{StatusCode: 400, Type: "invalid_request", Field: "harness", Message: `unknown harness "nope"`,
		Method: "POST", Path: "/api/agents", RequestID: "req_123"}
	if got := (client.APIError{StatusCode: ae.StatusCode, Type: ae.Type, Field: ae.Field, Message: ae.Message,
		Method: ae.Method, Path: ae.Path, RequestID: ae.RequestID}); fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) || ae.Issues != nil || ae.HTML {
		t.Errorf("APIError = %+v\nwant %+v", *ae, want)
	}
}

func TestUpdateAgentSendsOnlySetFields(t *testing.T) {
	for _, tc := range []struct {
		desc string
		p    spec.AgentPatch
		body string
	}{
		{"name only", spec.AgentPatch{Name: ptr("renamed")}, `{"name":"renamed"}`},
		{"explicit empties are sent", spec.AgentPatch{System: ptr(""), SkillIDs: &[]string{}, EnvVars: &map[string]string{}},
			`{"system":"","skill_ids":[],"env_vars":{}}`},
		{"env and a kept file", spec.AgentPatch{
			EnvVars:      &map[string]string{"GH_TOKEN": "t"},
			SandboxFiles: &[]spec.SandboxFile{{Name: "notes", SandboxPath: "~/notes.md", Size: 5}},
		}, `{"env_vars":{"GH_TOKEN":"t"},"sandbox_files":[{"name":"notes","sandbox_path":"~/notes.md","size":5}]}`},
		{"runtime, tools, repo", spec.AgentPatch{Runtime: ptr("local"), Tools: ptr(json.RawMessage(`{"a":1}`)), RepoURL: ptr("")},
			`{"runtime":"local","tools":{"a":1},"repo_url":""}`},
		{"empty patch", spec.AgentPatch{}, `{}`},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			m := newMock(t)
			m.on(&route{method: "PATCH", path: "/api/agents/agent_1", body: tc.body, resp: `{"id":"agent_1","name":"renamed"}`})
			a, err := m.client().UpdateAgent(context.Background(), "agent_1", &tc.p)
			if err != nil || a.ID != "agent_1" {
				t.Fatalf("UpdateAgent = %+v, %v", a, err)
			}
		})
	}
}

func TestUpdateAgentInvalidSendsNothing(t *testing.T) {
	m := newMock(t)
	_, err := m.client().UpdateAgent(context.Background(), "agent_1", &spec.AgentPatch{Name: ptr(""), EnvVars: &map[string]string{"1": "x"}})
	var es spec.Errors
	if !errors.As(err, &es) || len(es) != 2 || es.Field("name") == nil || es.Field("env_vars") == nil {
		t.Fatalf("err = %v", err)
	}
}

func TestDeleteAgent(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "DELETE", path: "/api/agents/agent_1", resp: `{"ok":true}`},
		&route{method: "DELETE", path: "/api/agents/agent_gone", status: 404, resp: `{"error":{"type":"not_found","message":"no agent agent_gone"}}`},
	)
	c := m.client()
	if err := c.DeleteAgent(context.Background(), "agent_1"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAgent(context.Background(), "agent_gone"); !client.IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestPauseResumeAgent(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "POST", path: "/api/agents/agent_1/pause", resp: `{"id":"agent_1","status":"paused"}`},
		&route{method: "POST", path: "/api/agents/agent_1/resume", resp: `{"id":"agent_1","status":"active"}`},
		&route{method: "POST", path: "/api/agents/agent_2/resume", status: 409,
			resp: `{"error":{"type":"conflict","message":"agent is already active"}}`},
	)
	c := m.client()
	st, err := c.PauseAgent(context.Background(), "agent_1")
	if err != nil || *st != (spec.AgentStatus{ID: "agent_1", Status: "paused"}) {
		t.Fatalf("PauseAgent = %+v, %v", st, err)
	}
	st, err = c.ResumeAgent(context.Background(), "agent_1")
	if err != nil || *st != (spec.AgentStatus{ID: "agent_1", Status: "active"}) {
		t.Fatalf("ResumeAgent = %+v, %v", st, err)
	}
	st, err = c.ResumeAgent(context.Background(), "agent_2")
	if st != nil || !client.IsConflict(err) {
		t.Fatalf("ResumeAgent = %+v, %v", st, err)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

package forms

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"lapctl/client"
	"lapctl/spec"
)

// fakeServer is a small in-memory platform for the builder's fast tests:
// the endpoints the builder calls, the contract's validation (from spec),
// and hooks to make a call fail. The real server is exercised by the
// servertest and tmux tests.
type fakeServer struct {
	*httptest.Server
	key string

	mu       sync.Mutex
	models   []string
	skills   []spec.Skill
	agents   map[string]*spec.Agent
	bodies   map[string][]byte // last raw body per "METHOD path"
	fail     map[string]failure
	then     map[string]failure // the failure after the next one
	noHarnes bool
	sessions int
}

type failure struct {
	status int
	body   string
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{
		key:    "sk-test",
		models: []string{"anthropic/claude-sonnet-4-6", "anthropic/claude-opus-4-5", "openai/gpt-5-codex"},
		skills: []spec.Skill{
			{ID: "skill_review", Name: "review", Description: "Review diffs carefully", Content: "Read every hunk.\nThen test.", OwnerID: "me"},
			{ID: "skill_tests", Name: "tests", Description: "Always run the tests", Content: "Run go test ./...", OwnerID: "me"},
		},
		agents: map[string]*spec.Agent{},
		bodies: map[string][]byte{},
		fail:   map[string]failure{},
		then:   map[string]failure{},
	}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(client.Options{BaseURL: f.URL, APIKey: f.key, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// failNext makes the next call to "METHOD path" answer status with body.
func (f *fakeServer) failNext(route string, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[route] = failure{status, body}
}

// failThen queues a second failure for route, after failNext's.
func (f *fakeServer) failThen(route string, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.then[route] = failure{status, body}
}

func (f *fakeServer) body(route string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[route]
}

func (f *fakeServer) agent(id string) *spec.Agent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agents[id]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, status int, typ, field, msg string) {
	writeJSON(w, status, spec.ErrorBody{Error: spec.ErrorDetail{Type: typ, Field: field, Message: msg}})
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	route := r.Method + " " + r.URL.Path
	body, _ := io.ReadAll(r.Body)
	f.bodies[route] = body
	if r.Header.Get("Authorization") != "Bearer "+f.key {
		apiErr(w, http.StatusUnauthorized, spec.ErrUnauthorized, "", "missing or wrong key")
		return
	}
	if fl, ok := f.fail[route]; ok {
		delete(f.fail, route)
		if next, ok := f.then[route]; ok {
			delete(f.then, route)
			f.fail[route] = next
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fl.status)
		io.WriteString(w, fl.body)
		return
	}
	switch {
	case route == "GET /api/harnesses":
		if f.noHarnes {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, 200, map[string]any{"harnesses": spec.BuiltinHarnesses()})
	case route == "GET /api/runtime-harnesses":
		writeJSON(w, 200, map[string]any{"harnesses": []spec.RuntimeHarness{{Alias: "my-alias", DisplayName: "My Alias", APISpec: "openai", Connected: true}}})
	case route == "GET /v1/models":
		var data []spec.Model
		for _, id := range f.models {
			data = append(data, spec.Model{ID: id, Object: "model"})
		}
		writeJSON(w, 200, spec.ModelList{Object: "list", Data: data})
	case route == "GET /api/skills":
		owner := r.URL.Query().Get("owner_id")
		out := []spec.Skill{}
		for _, s := range f.skills {
			if owner == "" || s.OwnerID == owner {
				out = append(out, s)
			}
		}
		writeJSON(w, 200, map[string]any{"skills": out})
	case route == "POST /api/agents":
		var s spec.AgentSpec
		if err := json.Unmarshal(body, &s); err != nil {
			apiErr(w, 400, spec.ErrInvalidRequest, "", err.Error())
			return
		}
		if f.reject(w, &s) {
			return
		}
		a := &spec.Agent{ID: fmt.Sprintf("agent_%d", len(f.agents)+1), Status: spec.StatusPaused}
		applySpec(a, &s)
		f.agents[a.ID] = a
		writeJSON(w, 201, a)
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/api/agents/"):
		a, ok := f.agents[strings.TrimPrefix(r.URL.Path, "/api/agents/")]
		if !ok {
			apiErr(w, 404, spec.ErrNotFound, "", "no such agent")
			return
		}
		writeJSON(w, 200, a)
	case r.Method == "PATCH" && strings.HasPrefix(r.URL.Path, "/api/agents/"):
		a, ok := f.agents[strings.TrimPrefix(r.URL.Path, "/api/agents/")]
		if !ok {
			apiErr(w, 404, spec.ErrNotFound, "", "no such agent")
			return
		}
		var p spec.AgentPatch
		if err := json.Unmarshal(body, &p); err != nil {
			apiErr(w, 400, spec.ErrInvalidRequest, "", err.Error())
			return
		}
		if err := p.Validate(); err != nil {
			var es spec.Errors
			errors.As(err, &es)
			apiErr(w, 400, spec.ErrInvalidRequest, es[0].Field, es[0].Message)
			return
		}
		applyPatch(a, &p)
		writeJSON(w, 200, a)
	case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/resume"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/agents/"), "/resume")
		a, ok := f.agents[id]
		if !ok {
			apiErr(w, 404, spec.ErrNotFound, "", "no such agent")
			return
		}
		a.Status = spec.StatusActive
		writeJSON(w, 200, spec.AgentStatus{ID: id, Status: a.Status})
	case route == "POST /session":
		var s spec.SessionSpec
		_ = json.Unmarshal(body, &s)
		a, ok := f.agents[s.AgentID]
		if !ok {
			apiErr(w, 404, spec.ErrNotFound, "agent_id", "no such agent")
			return
		}
		if a.Status != spec.StatusActive {
			apiErr(w, 409, spec.ErrConflict, "", "agent is paused: resume it first")
			return
		}
		f.sessions++
		ses := spec.Session{ID: fmt.Sprintf("ses_%d", f.sessions), AgentID: a.ID, Harness: a.Harness, Status: spec.SessionStarting, Kind: spec.HarnessKind(a.Harness)}
		if ses.Kind == spec.KindTUI {
			ses.TTYURL, ses.TTYToken = "/session/"+ses.ID+"/tty", "tok"
		}
		writeJSON(w, 200, ses)
	default:
		http.NotFound(w, r)
	}
}

// reject answers 400/404 for a create body the platform would refuse.
func (f *fakeServer) reject(w http.ResponseWriter, s *spec.AgentSpec) bool {
	if err := s.Validate(); err != nil {
		var es spec.Errors
		errors.As(err, &es)
		apiErr(w, 400, spec.ErrInvalidRequest, es[0].Field, es[0].Message)
		return true
	}
	if _, ok := spec.BuiltinHarness(s.Harness); !ok && s.Harness != "" && s.Harness != "my-alias" {
		apiErr(w, 400, spec.ErrInvalidRequest, "harness", fmt.Sprintf("unknown harness %q", s.Harness))
		return true
	}
	for _, id := range s.SkillIDs {
		found := false
		for _, sk := range f.skills {
			found = found || (sk.ID == id && sk.OwnerID == s.OwnerID)
		}
		if !found {
			apiErr(w, 404, spec.ErrNotFound, "skill_ids", fmt.Sprintf("skill %s not found for owner %s", id, s.OwnerID))
			return true
		}
	}
	return false
}

func applySpec(a *spec.Agent, s *spec.AgentSpec) {
	s.Normalize()
	a.Name, a.OwnerID, a.Model, a.System, a.Description, a.Harness = s.Name, s.OwnerID, s.Model, s.System, s.Description, s.Harness
	a.Requirements, a.RepoURL, a.Branch = s.Requirements, s.RepoURL, s.Branch
	a.MCPServers, a.AllowOut, a.DenyOut, a.EnvVars, a.SkillIDs = s.MCPServers, s.AllowOut, s.DenyOut, s.EnvVars, s.SkillIDs
	a.Prompt, a.Config, a.Tools = s.Prompt, s.Config, s.Tools
	if s.Runtime != nil {
		a.Runtime = *s.Runtime
	}
	a.SupportsTUI = spec.HarnessKind(s.Harness) == spec.KindTUI
	a.SandboxFiles = nil
	for _, file := range s.SandboxFiles {
		file.Content = ""
		a.SandboxFiles = append(a.SandboxFiles, file)
	}
}

func applyPatch(a *spec.Agent, p *spec.AgentPatch) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Name, p.Name)
	set(&a.Description, p.Description)
	set(&a.Model, p.Model)
	set(&a.System, p.System)
	set(&a.Harness, p.Harness)
	set(&a.RepoURL, p.RepoURL)
	if p.EnvVars != nil {
		a.EnvVars = *p.EnvVars
	}
	if p.SkillIDs != nil {
		a.SkillIDs = *p.SkillIDs
	}
}

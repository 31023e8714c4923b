package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"lapctl/spec"
)

// agentCreateExtra is read from the body of POST /api/agents beside the
// spec: system again, so an omitted system (which falls back to prompt,
// as on the gateway) differs from one sent empty (kept empty).
type agentCreateExtra struct {
	System *string `json:"system"`
}

// agentPatchExtra is read from the body of PATCH /api/agents/{id} beside
// the spec's patch: status, which the gateway's PATCH applies too.
type agentPatchExtra struct {
	Status *string `json:"status"`
}

func (s *Server) handleCreateAgent(w http.ResponseWriter, r *http.Request) error {
	var body spec.AgentSpec
	var in agentCreateExtra
	if err := decodeJSON(w, r, &body, &in); err != nil {
		return err
	}
	body.System = body.Prompt
	if in.System != nil {
		body.System = *in.System
	}
	body.Normalize()
	if err := body.Validate(); err != nil {
		return validationError(err)
	}
	if body.Harness == "" {
		body.Harness = DefaultHarness
	} else if err := s.harnesses.checkHarness(body.Harness); err != nil {
		return err
	}
	now := nowMs()
	rec := &agentRecord{AgentSpec: body, ID: newID(prefixAgent), Status: spec.StatusPaused, CreatedAt: now, UpdatedAt: now}
	if err := s.store.createAgent(r.Context(), rec); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.agentView(rec))
	return nil
}

func (s *Server) handleGetAgent(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.store.getAgent(r.Context(), r.PathValue("id"), false)
	if err != nil {
		return agentLookupError(err, r.PathValue("id"), "")
	}
	writeJSON(w, http.StatusOK, s.agentView(rec))
	return nil
}

// handlePatchAgent merges the patch into the stored agent and validates the
// result by the create rules, all inside one write transaction.
func (s *Server) handlePatchAgent(w http.ResponseWriter, r *http.Request) error {
	var p spec.AgentPatch
	var in agentPatchExtra
	if err := decodeJSON(w, r, &p, &in); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return validationError(err)
	}
	if in.Status != nil && *in.Status != spec.StatusPaused && *in.Status != spec.StatusActive {
		return badRequest("status", "status must be %q or %q, not %q", spec.StatusPaused, spec.StatusActive, *in.Status)
	}
	if p.Harness != nil && *p.Harness == "" {
		def := DefaultHarness
		p.Harness = &def
	}
	if p.Harness != nil {
		// Checked only when set: an agent whose alias is no longer
		// registered can still be edited otherwise.
		if err := s.harnesses.checkHarness(*p.Harness); err != nil {
			return err
		}
	}
	id := r.PathValue("id")
	rec, err := s.store.updateAgent(r.Context(), id, func(a *agentRecord) error {
		// A system that was the create-time fallback follows a new prompt,
		// so editing the prompt of an agent that never had a system of its
		// own still changes what its sessions get.
		if p.System == nil && p.Prompt != nil && a.System == a.Prompt {
			p.System = p.Prompt
		}
		a.AgentSpec.Apply(&p)
		if in.Status != nil {
			a.Status = *in.Status
		}
		a.Normalize()
		if err := a.Validate(); err != nil {
			return validationError(err)
		}
		a.UpdatedAt = nowMs()
		return nil
	})
	if err != nil {
		return agentLookupError(err, id, "")
	}
	writeJSON(w, http.StatusOK, s.agentView(rec))
	return nil
}

// handleDeleteAgent removes the agent, then stops its sessions. Stopping
// after the delete also catches a session started meanwhile: its record
// cannot be written any more (the agent is gone), and its process is in
// the runtime's sweep.
func (s *Server) handleDeleteAgent(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.store.deleteAgent(r.Context(), id); err != nil {
		return agentLookupError(err, id, "")
	}
	s.runtime.stopAgentSessions(r.Context(), id)
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}

func (s *Server) handleSetAgentStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		if err := s.store.setAgentStatus(r.Context(), id, status); err != nil {
			return agentLookupError(err, id, "")
		}
		writeJSON(w, http.StatusOK, spec.AgentStatus{ID: id, Status: status})
		return nil
	}
}

func (s *Server) handleListAgents(w http.ResponseWriter, r *http.Request) error {
	q, err := parseAgentQuery(r)
	if err != nil {
		return err
	}
	recs, total, err := s.store.listAgents(r.Context(), q)
	if err != nil {
		return err
	}
	list := agentListBody{Agents: make([]agentBody, 0, len(recs)), Total: total, Limit: q.Limit, Offset: q.Offset}
	for _, rec := range recs {
		list.Agents = append(list.Agents, s.agentView(rec))
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func parseAgentQuery(r *http.Request) (agentQuery, error) {
	v := r.URL.Query()
	q := agentQuery{OwnerID: v.Get("owner_id"), Search: strings.TrimSpace(v.Get("search")), Sort: "created_at", Desc: true}
	var err error
	if q.Limit, err = queryInt(r, "limit", spec.DefaultListLimit, 1, spec.MaxListLimit); err != nil {
		return q, err
	}
	if q.Offset, err = queryInt(r, "offset", 0, 0, -1); err != nil {
		return q, err
	}
	if sort := v.Get("sort"); sort != "" {
		if !slices.Contains(spec.SortKeys, sort) {
			return q, badRequest("sort", "sort must be one of %s, not %q", strings.Join(spec.SortKeys, ", "), sort)
		}
		q.Sort = sort
	}
	switch order := v.Get("order"); order {
	case "", "desc":
	case "asc":
		q.Desc = false
	default:
		return q, badRequest("order", "order must be asc or desc, not %q", order)
	}
	return q, nil
}

// agentBody is the agent as the API returns it. Tools is always present,
// null when the agent has none, as the gateway answers.
type agentBody struct {
	spec.Agent
	Tools json.RawMessage `json:"tools"`
}

// agentListBody is the body of GET /api/agents.
type agentListBody struct {
	Agents []agentBody `json:"agents"`
	Total  int         `json:"total"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
}

// agentView is the agent as the API returns it: file metadata without
// content, config as stored (with runtime and tools), and the live facts
// (supports_tui, session_count).
func (s *Server) agentView(a *agentRecord) agentBody {
	out := spec.Agent{
		ID: a.ID, Name: a.Name, Model: a.Model, System: a.System, Prompt: a.Prompt, Description: a.Description,
		OwnerID: a.OwnerID, Status: a.Status, Harness: a.Harness,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Requirements: a.Requirements, RepoURL: a.RepoURL,
		Branch: a.Branch, MCPServers: a.MCPServers, AllowOut: a.AllowOut, DenyOut: a.DenyOut,
		EnvVars: a.EnvVars, SkillIDs: a.SkillIDs,
		SupportsTUI:  spec.HarnessKind(a.Harness) == spec.KindTUI,
		SessionCount: s.runtime.liveCount(a.ID),
	}
	if a.Runtime != nil {
		out.Runtime = *a.Runtime
	}
	// Tools were checked to be a JSON array or object, so this cannot fail;
	// the stored config is the fallback all the same.
	out.Config = a.Config
	if cfg, err := storedConfig(a); err == nil {
		out.Config = cfg
	}
	for _, f := range a.SandboxFiles {
		f.Content = ""
		out.SandboxFiles = append(out.SandboxFiles, f)
	}
	var tools json.RawMessage
	if t := strings.TrimSpace(string(a.Tools)); t != "" && t != "null" {
		tools = json.RawMessage(t)
	}
	return agentBody{Agent: out, Tools: tools}
}

// agentLookupError turns a missing agent into a 404 naming it.
func agentLookupError(err error, id, field string) error {
	if isNotFound(err) {
		return notFound(field, "agent %s not found: lapctl agents list shows the agents there are", id)
	}
	return err
}

package server

import (
	"net/http"
	"slices"
	"strings"

	"lapctl/spec"
)

func (s *Server) handleCreateAgent(w http.ResponseWriter, r *http.Request) error {
	var body spec.AgentSpec
	if err := decodeJSON(w, r, &body); err != nil {
		return err
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
	if err := decodeJSON(w, r, &p); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return validationError(err)
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
		a.AgentSpec.Apply(&p)
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
	list := spec.AgentList{Agents: make([]spec.Agent, 0, len(recs)), Total: total, Limit: q.Limit, Offset: q.Offset}
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

// agentView is the agent as the API returns it: file metadata without
// content, and the live facts (supports_tui, session_count).
func (s *Server) agentView(a *agentRecord) spec.Agent {
	out := spec.Agent{
		ID: a.ID, Name: a.Name, Model: a.Model, System: a.System, Prompt: a.Prompt, Description: a.Description,
		OwnerID: a.OwnerID, Status: a.Status, Harness: a.Harness, Config: a.Config, Tools: a.Tools,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Requirements: a.Requirements, RepoURL: a.RepoURL,
		Branch: a.Branch, MCPServers: a.MCPServers, AllowOut: a.AllowOut, DenyOut: a.DenyOut,
		EnvVars: a.EnvVars, SkillIDs: a.SkillIDs,
		SupportsTUI:  spec.HarnessKind(a.Harness) == spec.KindTUI,
		SessionCount: s.runtime.liveCount(a.ID),
	}
	if a.Runtime != nil {
		out.Runtime = *a.Runtime
	}
	if a.Config != nil && a.Runtime != nil {
		cfg := make(map[string]any, len(a.Config)+1)
		for k, v := range a.Config {
			cfg[k] = v
		}
		cfg["runtime"] = *a.Runtime
		out.Config = cfg
	} else if a.Runtime != nil {
		out.Config = map[string]any{"runtime": *a.Runtime}
	}
	for _, f := range a.SandboxFiles {
		f.Content = ""
		out.SandboxFiles = append(out.SandboxFiles, f)
	}
	return out
}

// agentLookupError turns a missing agent into a 404 naming it.
func agentLookupError(err error, id, field string) error {
	if isNotFound(err) {
		return notFound(field, "agent %s not found: lapctl agents list shows the agents there are", id)
	}
	return err
}

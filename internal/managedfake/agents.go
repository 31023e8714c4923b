package managedfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func (s *Server) createAgent(w http.ResponseWriter, b map[string]any) {
	var issues []issue
	model, hasModel := optString(b, "model", &issues)
	if !hasModel {
		issues = append(issues, issue{"invalid_type", "Required", []any{"model"}})
	} else if model == "" {
		issues = append(issues, issue{"too_small", "String must contain at least 1 character(s)", []any{"model"}})
	}
	name, hasName := optString(b, "name", &issues)
	prompt, _ := optString(b, "prompt", &issues)
	harness, hasHarness := optString(b, "harness_id", &issues)
	repo, hasRepo := optString(b, "repo_url", &issues)
	if hasRepo {
		if u, err := url.Parse(repo); err != nil || u.Scheme == "" || u.Host == "" {
			issues = append(issues, issue{"invalid_string", "Invalid url", []any{"repo_url"}})
		}
	}
	branch, hasBranch := optString(b, "branch", &issues)
	reqs, _ := optString(b, "requirements", &issues)
	env := validateEnv(b["env_vars"], &issues)
	files := validateFiles(b["sandbox_files"], &issues)
	mcp, allow, deny := strList(b, "mcp_servers", &issues), strList(b, "allow_out", &issues), strList(b, "deny_out", &issues)
	skills := strList(b, "skill_ids", &issues)
	tools, ok := b["tools"].([]any)
	if v, present := b["tools"]; present && !ok && v != nil {
		issues = append(issues, issue{"invalid_type", "Expected array, received " + jsType(v), []any{"tools"}})
	}
	if tools == nil {
		tools = []any{}
	}
	if len(issues) > 0 {
		httpError(w, http.StatusBadRequest, issues)
		return
	}
	if !hasHarness {
		harness = "opencode"
	}
	if !slices.Contains(KnownHarnesses, harness) {
		// httpError(400, {error: …}) inside wrap: doubly nested.
		httpError(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("unknown harness_id %q. Valid: %s", harness, strings.Join(KnownHarnesses, ", "))})
		return
	}
	for _, id := range skills {
		if !slices.Contains(s.opts.SkillIDs, id.(string)) {
			httpError(w, http.StatusNotFound, "one or more skill_ids not found")
			return
		}
	}
	for _, id := range skills {
		prompt += fmt.Sprintf("\n\n<!-- skill:%s -->\nskill %s content", id, id)
	}
	if !hasBranch {
		branch = "main"
	}
	stored := map[string]any{}
	for k, v := range env {
		stored[k] = v
	}
	if reqs != "" {
		stored["AGENT_REQUIREMENTS"] = reqs
	}
	a := map[string]any{
		"id": "agent_" + randomHex(6), "name": nullable(name, hasName), "model": model, "prompt": nullable(prompt, prompt != ""),
		"harness_id": harness, "supports_tui": TUIHarnesses[harness], "repo_url": nullable(repo, hasRepo), "branch": branch,
		"pfp_url": nil, "mcp_servers": mcp, "env_vars": stored, "env_var_hosts": map[string]any{}, "attached_skill_ids": skills,
		"allow_out": allow, "deny_out": deny, "sandbox_files": orEmpty(files), "projects": []any{}, "tools": tools,
		"preload_memory_limit": 10, "template_id": nil, "template_version": nil, "template_latest_version": nil,
		"template_in_sync": true, "template_prompt": nil, "template_latest_prompt": nil, "created_at": iso(time.Now()),
	}
	s.agents = append(s.agents, a)
	writeJSON(w, http.StatusOK, a)
}

func nullable(s string, present bool) any {
	if !present {
		return nil
	}
	return s
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

func (s *Server) findAgent(id string) (int, map[string]any) {
	for i, a := range s.agents {
		if a["id"] == id {
			return i, a
		}
	}
	return -1, nil
}

func (s *Server) sessionCount(id string) (int, bool) {
	n, active := 0, false
	for _, ss := range s.sessions {
		if ss.agentID == id {
			n++
			if st := s.status(ss); st == "ready" || st == "creating" {
				active = true
			}
		}
	}
	return n, active
}

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil {
		limit = 50
	}
	limit = min(max(limit, 1), 200)
	offset, err := strconv.Atoi(q.Get("offset"))
	if err != nil {
		offset = 0
	}
	offset = max(offset, 0)
	sortKey := q.Get("sort")
	if !slices.Contains([]string{"created_at", "name", "harness_id", "sessions"}, sortKey) {
		sortKey = "created_at"
	}
	desc := q.Get("order") != "asc"
	search := strings.ToLower(strings.TrimSpace(q.Get("search")))
	var rows []map[string]any
	for _, a := range s.agents {
		name, _ := a["name"].(string)
		if search == "" || strings.Contains(strings.ToLower(name), search) || strings.Contains(strings.ToLower(a["id"].(string)), search) ||
			strings.Contains(strings.ToLower(a["harness_id"].(string)), search) {
			row := map[string]any{}
			for k, v := range a {
				row[k] = v
			}
			row["session_count"], row["has_active_session"] = s.sessionCount(a["id"].(string))
			rows = append(rows, row)
		}
	}
	key := map[string]string{"created_at": "created_at", "name": "name", "harness_id": "harness_id"}[sortKey]
	less := func(i, j int) bool {
		if sortKey == "sessions" {
			return rows[i]["session_count"].(int) < rows[j]["session_count"].(int)
		}
		x, _ := rows[i][key].(string)
		y, _ := rows[j][key].(string)
		return x < y
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if desc {
			return less(j, i)
		}
		return less(i, j)
	})
	total := len(rows)
	start := min(offset, total)
	end := min(start+limit, total)
	page := rows[start:end]
	if page == nil {
		page = []map[string]any{}
	}
	writeJSON(w, 200, map[string]any{"data": page, "total": total, "limit": limit, "offset": offset})
}

func (s *Server) agentRoute(w http.ResponseWriter, method, id string, b map[string]any) {
	i, a := s.findAgent(id)
	if a == nil {
		httpError(w, http.StatusNotFound, "agent not found")
		return
	}
	switch method {
	case http.MethodGet:
		writeJSON(w, 200, a)
	case http.MethodDelete:
		s.agents = append(s.agents[:i], s.agents[i+1:]...)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch:
		s.updateAgent(w, a, b)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// updateAgent is UpdateAgentBody: zod strips every other key (harness_id,
// repo_url, requirements, skill_ids, tools, …) without an error.
func (s *Server) updateAgent(w http.ResponseWriter, a, b map[string]any) {
	var issues []issue
	strs := map[string]string{}
	for _, f := range []string{"name", "prompt", "model", "branch", "pfp_url"} {
		if v, ok := optString(b, f, &issues); ok {
			strs[f] = v
		}
	}
	if m, ok := strs["model"]; ok && m == "" {
		issues = append(issues, issue{"too_small", "String must contain at least 1 character(s)", []any{"model"}})
	}
	var env map[string]any
	if _, ok := b["env_vars"]; ok {
		env = validateEnv(b["env_vars"], &issues)
	}
	var files []any
	if _, ok := b["sandbox_files"]; ok {
		files = validateFiles(b["sandbox_files"], &issues)
	}
	lists := map[string][]any{}
	for _, f := range []string{"mcp_servers", "allow_out", "deny_out"} {
		if _, ok := b[f]; ok {
			lists[f] = strList(b, f, &issues)
		}
	}
	if len(issues) > 0 {
		httpError(w, http.StatusBadRequest, issues)
		return
	}
	for k, v := range strs {
		a[k] = v
	}
	for k, v := range lists {
		a[k] = v
	}
	if env != nil {
		stored := map[string]any{}
		for k, v := range env {
			stored[k] = v
		}
		if old, _ := a["env_vars"].(map[string]any); old != nil {
			if r, ok := old["AGENT_REQUIREMENTS"]; ok {
				stored["AGENT_REQUIREMENTS"] = r
			}
		}
		a["env_vars"] = stored
	}
	if files != nil {
		a["sandbox_files"] = files
	}
	writeJSON(w, 200, a)
}

package gatewayfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The agent fields CreateManagedAgent reads; everything else in the body
// (env_vars, repo_url, branch, requirements, mcp_servers, allow_out,
// deny_out, sandbox_files, …) is dropped without an error.
func (s *Server) createAgent(w http.ResponseWriter, b map[string]any) {
	name, owner := strings.TrimSpace(str(b, "name")), strings.TrimSpace(str(b, "owner_id"))
	if name == "" {
		gatewayError(w, 400, "name must not be blank")
		return
	}
	if owner == "" {
		gatewayError(w, 400, "owner_id must not be blank")
		return
	}
	model := str(b, "model")
	if model == "" {
		model = "claude-sonnet-4-6"
	}
	system := str(b, "system")
	if system == "" {
		system = str(b, "prompt")
	}
	config, _ := b["config"].(map[string]any)
	if config == nil {
		config = map[string]any{}
	}
	if rt, ok := b["runtime"].(string); ok {
		config["runtime"] = rt
	}
	tools := b["tools"]
	if tools != nil {
		config["tools"] = tools // top-level wins
	}
	skills, _ := b["skill_ids"].([]any) // not checked
	if skills == nil {
		skills = []any{}
	}
	ts := now()
	a := map[string]any{
		"id": s.nextID("agent"), "name": name, "owner_id": owner, "model": model, "system": system,
		"prompt": str(b, "prompt"), "description": str(b, "description"),
		// Any harness but claude-code becomes claude-code on create.
		"harness": "claude-code", "config": config, "tools": tools, "skill_ids": skills,
		"status": "paused", "created_at": ts, "updated_at": ts,
		"schedule": nil, "vault_keys": []any{}, "setup_commands": []any{}, "max_runtime_minutes": nil,
		"on_failure": nil, "rule_ids": []any{},
	}
	s.agents = append(s.agents, a)
	// Every agent create also makes the builder's session.
	s.sessions = append(s.sessions, s.newSession(a["id"].(string), "agent-builder-"+name))
	writeJSON(w, http.StatusCreated, a)
}

// UpdateManagedAgent: not tools, nor any dropped field; harness is
// stored as given.
func (s *Server) updateAgent(w http.ResponseWriter, id string, b map[string]any) {
	_, a := s.findAgent(id)
	if a == nil {
		gatewayError(w, 404, "agent not found")
		return
	}
	for _, f := range []string{"name", "model", "system", "prompt", "description", "owner_id", "harness", "status"} {
		if v, ok := b[f].(string); ok {
			if (f == "name" || f == "owner_id") && strings.TrimSpace(v) == "" {
				gatewayError(w, 400, f+" must not be blank")
				return
			}
			a[f] = v
		}
	}
	if c, ok := b["config"].(map[string]any); ok {
		a["config"] = c
	}
	if rt, ok := b["runtime"].(string); ok {
		cfg, _ := a["config"].(map[string]any)
		if cfg == nil {
			cfg = map[string]any{}
		}
		cfg["runtime"] = rt
		a["config"] = cfg
	}
	if sk, ok := b["skill_ids"].([]any); ok {
		a["skill_ids"] = sk
	}
	a["updated_at"] = now()
	writeJSON(w, 200, a)
}

func (s *Server) skillsRoute(w http.ResponseWriter, q url.Values, key, id string, b map[string]any) {
	find := func() (int, map[string]any) {
		for i, sk := range s.skills {
			if sk["id"] == id {
				return i, sk
			}
		}
		return -1, nil
	}
	switch key {
	case "GET /api/skills":
		out := []map[string]any{}
		for _, sk := range s.skills {
			if o := q.Get("owner_id"); o == "" || sk["owner_id"] == o {
				out = append(out, sk)
			}
		}
		writeJSON(w, 200, map[string]any{"skills": out})
	case "POST /api/skills":
		sk := map[string]any{"id": s.nextID("skill"), "name": str(b, "name"), "content": str(b, "content"),
			"description": str(b, "description"), "owner_id": str(b, "owner_id"), "created_at": now()}
		s.skills = append(s.skills, sk)
		writeJSON(w, http.StatusCreated, sk)
	case "GET /api/skills/{id}":
		if _, sk := find(); sk != nil {
			writeJSON(w, 200, sk)
			return
		}
		gatewayError(w, 404, "skill not found")
	case "PATCH /api/skills/{id}":
		_, sk := find()
		if sk == nil {
			gatewayError(w, 404, "skill not found")
			return
		}
		for _, f := range []string{"name", "content", "description", "owner_id"} {
			if v, ok := b[f].(string); ok {
				sk[f] = v
			}
		}
		writeJSON(w, 200, sk)
	case "DELETE /api/skills/{id}":
		i, sk := find()
		if sk == nil {
			gatewayError(w, 404, "skill not found")
			return
		}
		s.skills = append(s.skills[:i], s.skills[i+1:]...)
		writeJSON(w, 200, map[string]any{"ok": true})
	}
}

func (s *Server) newSession(agent, title string) *session {
	ts := now()
	return &session{obj: map[string]any{
		"id": s.nextID("ses"), "title": title, "agent": agent, "status": "starting",
		"time": map[string]any{"created": ts, "updated": ts},
	}}
}

// createSession reads agent (an agent_… id or a harness) or harness,
// and title; agent_id, prompt and environment only with a runtime.
func (s *Server) createSession(b map[string]any) map[string]any {
	agent := str(b, "agent")
	if agent == "" {
		agent = str(b, "harness")
	}
	if _, hasRuntime := b["runtime"]; hasRuntime && agent == "" {
		agent = str(b, "agent_id")
	}
	if agent == "" {
		agent = "claude-code" // an unbound session
	}
	title := str(b, "title")
	if title == "" {
		title = "New session"
	}
	ss := s.newSession(agent, title)
	s.sessions = append(s.sessions, ss)
	return ss.obj
}

// postMessage needs model.modelID, records the user message, answers
// with the history so far, and lets the reply arrive later.
func (s *Server) postMessage(w http.ResponseWriter, id string, b map[string]any) {
	ss := s.findSession(id)
	if ss == nil {
		gatewayError(w, 404, "session not found")
		return
	}
	model, _ := b["model"].(map[string]any)
	modelID := str(model, "modelID")
	if modelID == "" {
		gatewayError(w, 400, "missing model")
		return
	}
	var text string
	parts, _ := b["parts"].([]any)
	for _, p := range parts {
		if pm, ok := p.(map[string]any); ok && pm["type"] == "text" {
			text += str(pm, "text")
		}
	}
	ts := now()
	ss.messages = append(ss.messages, map[string]any{
		"info":  map[string]any{"id": s.nextID("msg"), "sessionID": id, "role": "user", "time": map[string]any{"created": ts}},
		"parts": []any{map[string]any{"type": "text", "text": text}},
	})
	ss.obj["status"] = "running"
	history := append([]map[string]any{}, ss.messages...)
	replyID := s.nextID("msg")
	time.AfterFunc(s.opts.ReplyDelay, func() { s.reply(id, replyID, modelID, text) })
	writeJSON(w, 200, history)
}

func (s *Server) reply(sessionID, msgID, modelID, text string) {
	s.mu.Lock()
	ss := s.findSession(sessionID)
	if ss == nil {
		s.mu.Unlock()
		return
	}
	answer := "echo: " + text
	ss.messages = append(ss.messages, map[string]any{
		"info":  map[string]any{"id": msgID, "sessionID": sessionID, "role": "assistant", "modelID": modelID, "time": map[string]any{"created": now(), "completed": now()}},
		"parts": []any{map[string]any{"type": "text", "text": answer}},
	})
	ss.obj["status"] = "idle"
	events := []string{
		eventJSON("message.part.delta", map[string]any{"sessionID": sessionID, "messageID": msgID, "delta": answer}),
		eventJSON("session.idle", map[string]any{"sessionID": sessionID}),
	}
	subs := make([]chan string, 0, len(s.subs))
	for ch := range s.subs {
		subs = append(subs, ch)
	}
	s.mu.Unlock()
	for _, ch := range subs {
		for _, e := range events {
			select {
			case ch <- e:
			default: // a slow reader loses events, as on a real stream
			}
		}
	}
}

func eventJSON(typ string, props map[string]any) string {
	data, _ := json.Marshal(map[string]any{"type": typ, "properties": props})
	return string(data)
}

// events is GET /event: server-sent events until the client leaves.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		gatewayError(w, 500, "streaming unsupported")
		return
	}
	ch := make(chan string, 64)
	s.mu.Lock()
	s.subs[ch] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	fmt.Fprintf(w, "data: %s\n\n", eventJSON("server.connected", map[string]any{}))
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-ch:
			fmt.Fprintf(w, "data: %s\n\n", e)
			fl.Flush()
		}
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// A 15 MiB description fits the body limit; the field limit refuses it
// with a 400 naming the field, and nothing is stored.
func TestOversizedFieldIsRefusedByName(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t)
	c := newClient(t, inst)
	huge := strings.Repeat("d", 15<<20)
	e := c.fail("POST", "/api/agents", spec.AgentSpec{Name: "big", OwnerID: "o", Description: huge}, http.StatusBadRequest)
	if e.Field != "description" || !strings.Contains(e.Message, "description") {
		t.Errorf("error %+v does not name description", e)
	}
	a := c.createAgent(spec.AgentSpec{Name: "small"})
	e = c.fail("PATCH", "/api/agents/"+a.ID, map[string]any{"system": strings.Repeat("s", spec.MaxSystemBytes+1)}, http.StatusBadRequest)
	if e.Field != "system" {
		t.Errorf("patch error %+v does not name system", e)
	}
	e = c.fail("POST", "/api/skills", spec.SkillSpec{Name: "s", Content: strings.Repeat("c", spec.MaxSkillContentBytes+1)}, http.StatusBadRequest)
	if e.Field != "content" {
		t.Errorf("skill error %+v does not name content", e)
	}
	e = c.fail("POST", "/api/agents", spec.AgentSpec{Name: "f", OwnerID: "o",
		SandboxFiles: []spec.SandboxFile{file("n", "~/../escape", "x")}}, http.StatusBadRequest)
	if !strings.HasSuffix(e.Field, "sandbox_path") || !strings.Contains(e.Message, "..") {
		t.Errorf("sandbox_path with ..: %+v", e)
	}
	var list spec.AgentList
	c.call("GET", "/api/agents", nil, http.StatusOK, &list)
	if len(list.Agents) != 1 {
		t.Errorf("refused creates stored agents: %d agents", len(list.Agents))
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestSkillsCRUD(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)

	var sk spec.Skill
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "review", Content: "check errors", Description: "d", OwnerID: "o1"}, http.StatusCreated, &sk)
	if !strings.HasPrefix(sk.ID, "skill_") || sk.Name != "review" || sk.Content != "check errors" || sk.OwnerID != "o1" || sk.CreatedAt == 0 {
		t.Fatalf("created: %+v", sk)
	}
	var other spec.Skill
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "other", Content: "c", OwnerID: "o2"}, http.StatusCreated, &other)

	var got spec.Skill
	c.call("GET", "/api/skills/"+sk.ID, nil, http.StatusOK, &got)
	if got != sk {
		t.Fatalf("get: %+v, want %+v", got, sk)
	}
	var list struct{ Skills []spec.Skill }
	c.call("GET", "/api/skills", nil, http.StatusOK, &list)
	if len(list.Skills) != 2 {
		t.Fatalf("list: %+v", list)
	}
	c.call("GET", "/api/skills?owner_id=o2", nil, http.StatusOK, &list)
	if len(list.Skills) != 1 || list.Skills[0].ID != other.ID {
		t.Fatalf("owner filter: %+v", list)
	}

	c.call("PATCH", "/api/skills/"+sk.ID, spec.SkillPatch{Content: ptr("check every error")}, http.StatusOK, &got)
	if got.Content != "check every error" || got.Name != "review" {
		t.Fatalf("patch: %+v", got)
	}
	for name, tc := range map[string]struct {
		body  any
		field string
	}{
		"create without name":    {spec.SkillSpec{Content: "c"}, "name"},
		"create without content": {spec.SkillSpec{Name: "n", Content: "  "}, "content"},
	} {
		e := c.fail("POST", "/api/skills", tc.body, http.StatusBadRequest)
		if e.Field != tc.field {
			t.Errorf("%s: %+v", name, e)
		}
	}
	e := c.fail("PATCH", "/api/skills/"+sk.ID, spec.SkillPatch{Name: ptr("")}, http.StatusBadRequest)
	if e.Field != "name" {
		t.Errorf("blank patch: %+v", e)
	}
	c.fail("PATCH", "/api/skills/skill_nope", spec.SkillPatch{Name: ptr("x")}, http.StatusNotFound)
	c.fail("GET", "/api/skills/skill_nope", nil, http.StatusNotFound)

	var ok map[string]bool
	c.call("DELETE", "/api/skills/"+other.ID, nil, http.StatusOK, &ok)
	if !ok["ok"] {
		t.Fatalf("delete: %v", ok)
	}
	c.fail("DELETE", "/api/skills/"+other.ID, nil, http.StatusNotFound)
}

func TestDeletingAUsedSkillConflicts(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	var sk spec.Skill
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "s", Content: "c", OwnerID: "owner-1"}, http.StatusCreated, &sk)
	a := c.createAgent(spec.AgentSpec{Name: "user-of-skill", SkillIDs: []string{sk.ID}})

	e := c.fail("DELETE", "/api/skills/"+sk.ID, nil, http.StatusConflict)
	if e.Type != spec.ErrConflict || !strings.Contains(e.Message, "user-of-skill") {
		t.Fatalf("409 must name the agents: %+v", e)
	}
	e = c.fail("PATCH", "/api/skills/"+sk.ID, spec.SkillPatch{OwnerID: ptr("owner-2")}, http.StatusConflict)
	if !strings.Contains(e.Message, "user-of-skill") {
		t.Fatalf("owner change: %+v", e)
	}

	c.call("PATCH", "/api/agents/"+a.ID, spec.AgentPatch{SkillIDs: &[]string{}}, http.StatusOK, nil)
	c.call("DELETE", "/api/skills/"+sk.ID, nil, http.StatusOK, nil)
}

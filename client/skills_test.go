package client_test

import (
	"context"
	"errors"
	"testing"

	"lapctl/client"
	"lapctl/spec"
)

const skillJSON = `{"id":"skill_1","name":"review","description":"How to review","content":"Check the tests.","owner_id":"user_1","created_at":1700000000000}`

var skillWant = spec.Skill{ID: "skill_1", Name: "review", Description: "How to review", Content: "Check the tests.", OwnerID: "user_1", CreatedAt: 1700000000000}

func TestListSkills(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/api/skills", resp: `{"skills":[` + skillJSON + `]}`},
		&route{method: "GET", path: "/api/skills", query: q("owner_id", "user_1"), resp: `{"skills":[]}`},
		&route{method: "GET", path: "/api/skills", query: q("owner_id", "nobody"), resp: `{}`},
	)
	c := m.client()
	all, err := c.ListSkills(context.Background(), "")
	if err != nil || len(all) != 1 || all[0] != skillWant {
		t.Fatalf("ListSkills = %+v, %v", all, err)
	}
	mine, err := c.ListSkills(context.Background(), "user_1")
	if err != nil || mine == nil || len(mine) != 0 {
		t.Fatalf("ListSkills(owner) = %#v, %v", mine, err)
	}
	none, err := c.ListSkills(context.Background(), "nobody")
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("ListSkills(no key) = %#v, %v", none, err)
	}
}

func TestGetSkill(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/api/skills/skill_1", resp: skillJSON},
		&route{method: "GET", path: "/api/skills/skill_2", status: 404, resp: `{"error":"skill not found"}`},
	)
	c := m.client()
	s, err := c.GetSkill(context.Background(), "skill_1")
	if err != nil || *s != skillWant {
		t.Fatalf("GetSkill = %+v, %v", s, err)
	}
	s, err = c.GetSkill(context.Background(), "skill_2")
	if s != nil || !client.IsNotFound(err) {
		t.Fatalf("GetSkill(missing) = %+v, %v", s, err)
	}
}

func TestCreateSkill(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "POST", path: "/api/skills", status: 201,
		body: `{"name":"review","content":"Check the tests.","description":"How to review","owner_id":"user_1"}`,
		resp: skillJSON})
	c := m.client()
	s, err := c.CreateSkill(context.Background(), &spec.SkillSpec{Name: "review", Content: "Check the tests.", Description: "How to review", OwnerID: "user_1"})
	if err != nil || *s != skillWant {
		t.Fatalf("CreateSkill = %+v, %v", s, err)
	}
	// Invalid: no request.
	_, err = c.CreateSkill(context.Background(), &spec.SkillSpec{Name: "x", Content: "  "})
	var es spec.Errors
	if !errors.As(err, &es) || es.Field("content") == nil {
		t.Fatalf("err = %v", err)
	}
}

func TestCreateSkillMinimalBody(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "POST", path: "/api/skills", status: 201, body: `{"name":"n","content":"c"}`, resp: `{"id":"skill_9"}`})
	if s, err := m.client().CreateSkill(context.Background(), &spec.SkillSpec{Name: "n", Content: "c"}); err != nil || s.ID != "skill_9" {
		t.Fatalf("CreateSkill = %+v, %v", s, err)
	}
}

func TestUpdateSkill(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "PATCH", path: "/api/skills/skill_1", body: `{"content":"New text.","description":""}`, resp: skillJSON},
	)
	c := m.client()
	s, err := c.UpdateSkill(context.Background(), "skill_1", &spec.SkillPatch{Content: ptr("New text."), Description: ptr("")})
	if err != nil || s.ID != "skill_1" {
		t.Fatalf("UpdateSkill = %+v, %v", s, err)
	}
	_, err = c.UpdateSkill(context.Background(), "skill_1", &spec.SkillPatch{Name: ptr(" ")})
	var es spec.Errors
	if !errors.As(err, &es) || es.Field("name") == nil || es.Field("name").Rule != spec.RuleNotBlank {
		t.Fatalf("err = %v", err)
	}
}

func TestDeleteSkill(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "DELETE", path: "/api/skills/skill_1", resp: `{"ok":true}`},
		&route{method: "DELETE", path: "/api/skills/skill_1", status: 404, resp: `{"error":{"type":"not_found","message":"skill skill_1 not found"}}`},
	)
	c := m.client()
	if err := c.DeleteSkill(context.Background(), "skill_1"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSkill(context.Background(), "skill_1"); !client.IsNotFound(err) {
		t.Fatalf("second delete: %v", err)
	}
}

package forms

import (
	"encoding/json"
	"fmt"
	"testing"

	"lapctl/spec"
)

func errBody(field, msg string) string {
	b, _ := json.Marshal(spec.ErrorBody{Error: spec.ErrorDetail{Type: spec.ErrInvalidRequest, Field: field, Message: msg}})
	return string(b)
}

// Test400JumpsToTheFieldsStep: a refused create opens the step that owns
// the server's field, shows its message there, keeps every value, and
// completing that step returns to the review.
func Test400JumpsToTheFieldsStep(t *testing.T) {
	for _, c := range []struct {
		field, step, msg string
	}{
		{"name", "Step 1 of 10", "name is taken"},
		{"owner_id", "Step 1 of 10", "owner is archived"},
		{"harness", "Step 2 of 10", `unknown harness "claude-code"`},
		{"model", "Step 3 of 10", "model not served"},
		{"system", "Step 4 of 10", "system prompt too long"},
		{"skill_ids", "Step 5 of 10", "skill skill_review not found"},
		{"env_vars.LOG_LEVEL", "Step 6 of 10", "LOG_LEVEL is not allowed on this platform"},
		{"sandbox_files[0].sandbox_path", "Step 7 of 10", "~/notes.md is read-only"},
		{"repo_url", "Step 8 of 10", "repository not reachable"},
		{"requirements", "Step 9 of 10", "unknown package"},
		{"deny_out", "Step 10 of 10", "bad domain"},
	} {
		t.Run(c.field, func(t *testing.T) {
			srv := newFakeServer(t)
			d := reviewDriver(t, srv, fullSpec())
			srv.failNext("POST /api/agents", 400, errBody(c.field, c.msg))
			before := d.b.d.toSpec()
			d.press("enter")
			d.see(c.step, "✗ Server: "+c.field+": "+c.msg)
			if got := d.b.d.toSpec(); fmt.Sprint(got) != fmt.Sprint(before) {
				t.Fatalf("the draft changed:\n%+v\n%+v", got, before)
			}
			switch c.field {
			case "env_vars.LOG_LEVEL":
				d.see("> LOG_LEVEL") // the cursor is on the row
				d.press("tab")
			case "sandbox_files[0].sandbox_path":
				d.press("tab")
			case "skill_ids":
				d.press("enter")
			case "system", "requirements":
				d.press("enter", "tab")
			case "deny_out", "name", "owner_id":
				d.press("enter", "enter", "enter")
			case "repo_url":
				d.press("enter", "enter")
			default:
				d.press("enter")
			}
			d.see("What now?")
			d.notSee("✗ Server")
			d.press("enter")
			d.see("✓ Created agent agent_1")
		})
	}
}

func TestServerErrorWithoutFieldStaysOnReview(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	srv.failNext("POST /api/agents", 502, `{"error":"runtime unavailable"}`)
	d.press("enter")
	d.see("What now?", "✗ Server (502): runtime unavailable")
	d.press("enter")
	d.see("✓ Created agent agent_1")
}

func TestSkill404WithoutFieldGoesToSkills(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	srv.failNext("POST /api/agents", 404, `{"error":{"type":"not_found","message":"skill skill_review not found"}}`)
	d.press("enter")
	d.see("Step 5 of 10: Skills", "✗ Server: skill_ids: skill skill_review not found")
}

func Test401SaysHowToLogIn(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	srv.failNext("POST /api/agents", 401, `{"error":{"type":"unauthorized","message":"missing or wrong key"}}`)
	d.press("enter")
	d.see("What now?", "✗ The server refused the key (401 Unauthorized). Log in with: lapctl login", "nothing you typed is lost")
	d.press("pgdown")
	if d.b.d.Name != "full" || d.b.d.Env[0].Value != "ghp_verysecret" {
		t.Fatal("the draft was lost")
	}
	d.press("enter")
	d.see("✓ Created agent agent_1")
}

func TestUnreachableServerKeepsDraft(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	srv.Close()
	d.press("enter")
	d.see("What now?", "✗ cannot reach "+srv.URL)
}

func TestClientSideCheckWithoutStep(t *testing.T) {
	s := fullSpec()
	blank := " "
	s.Runtime = &blank // from -f: no step edits runtime
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, s)
	d.press("enter")
	d.see("What now?", "✗ runtime: runtime, when given, cannot be blank")
	if srv.body("POST /api/agents") != nil {
		t.Fatal("an invalid agent was sent")
	}
}

func TestStartSessionResumesPausedAgent(t *testing.T) {
	srv := newFakeServer(t)
	s := fullSpec()
	s.Harness = "opencode"
	d := reviewDriver(t, srv, s)
	d.press("enter")
	d.see("✓ Created agent agent_1", "status: paused", "harness: opencode (API)", "Start a session (resumes the paused agent first)")
	d.notSee("attach")
	d.press("down", "enter")
	done, ok := d.emitted().(DoneMsg)
	if !ok || done.Result.Next != NextSession || done.Result.Session == nil || done.Result.Agent.Status != spec.StatusActive {
		t.Fatalf("emitted %+v", d.emitted())
	}
}

func TestSessionFailureStaysOnDoneMenu(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	d.press("enter")
	srv.failNext("POST /api/agents/agent_1/resume", 502, `{"error":{"type":"runtime_error","message":"runtime down"}}`)
	d.press("down", "enter")
	d.see("✓ Created agent agent_1", "✗ Could not start a session: resuming the agent:", "runtime down")
	d.press("enter") // Done
	done := d.emitted().(DoneMsg)
	if done.Result.Next != NextNone || done.Result.Agent.ID != "agent_1" {
		t.Fatalf("result %+v", done.Result)
	}
}

func TestSubmitWithoutClient(t *testing.T) {
	d := newDriver(t, Options{Initial: fullSpec()})
	d.press("enter", "enter", "enter", "enter", "enter", "enter", "tab", "enter", "tab", "tab", "enter", "enter", "enter", "tab", "enter", "enter", "enter")
	d.see("What now?")
	d.press("enter")
	d.see("✗ " + errNoClient.Error())
}

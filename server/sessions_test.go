package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// apiHarnesses maps aliases to small shell commands that show what a
// harness process gets.
var apiHarnesses = []servertest.Option{
	servertest.WithHarnessCmd("opencode", "cat"),
	servertest.WithHarnessCmd("env-dump", "env"),
	servertest.WithHarnessCmd("prompt-dump", `printf %s "$AGENT_PROMPT"`),
	servertest.WithHarnessCmd("files", `cat "$HOME/notes/a.txt"; echo; cat b.txt; echo; cat "$PWD/deep/c.txt"`),
	servertest.WithHarnessCmd("failing", `echo "partial output"; echo "it broke: bad flag" >&2; exit 3`),
}

func TestAPISessionMessageRoundTrip(t *testing.T) {
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "echo-agent", Model: "anthropic/claude-sonnet-4-6"})

	s := c.startSession(spec.SessionSpec{AgentID: a.ID, Title: "first"})
	if !strings.HasPrefix(s.ID, "ses_") || s.Status != spec.SessionStarting || s.Phase == "" || s.Kind != spec.KindAPI ||
		s.AgentID != a.ID || s.Agent != a.ID || s.Harness != "opencode" || s.Title != "first" || s.Time.Created == 0 {
		t.Fatalf("new session: %+v", s)
	}
	if s.TTYURL != "" || s.TTYToken != "" {
		t.Errorf("API sessions have no terminal: %+v", s)
	}
	s = c.waitStatus(s.ID, spec.SessionIdle)
	if s.Phase != spec.PhaseReady {
		t.Errorf("idle session phase %q", s.Phase)
	}

	if got := c.message(s.ID, "hello, harness"); got != "hello, harness" {
		t.Fatalf("reply %q", got)
	}
	var history []spec.Message
	c.call("GET", "/session/"+s.ID+"/message", nil, http.StatusOK, &history)
	if len(history) != 2 || history[0].Info.Role != "user" || history[1].Info.Role != "assistant" ||
		history[1].Text() != "hello, harness" || history[1].Info.SessionID != s.ID || history[1].Info.ModelID != a.Model ||
		!strings.HasPrefix(history[1].Info.ID, "msg_") || history[1].Info.Created == 0 {
		t.Fatalf("history: %+v", history)
	}

	var a2 spec.Agent
	c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &a2)
	if a2.SessionCount != 1 {
		t.Errorf("session_count = %d, want 1", a2.SessionCount)
	}

	e := c.fail("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "  "}}}, http.StatusBadRequest)
	if e.Field != "parts" {
		t.Errorf("empty text: %+v", e)
	}
	c.fail("POST", "/session/"+s.ID+"/message", spec.MessageRequest{}, http.StatusBadRequest)
	c.fail("POST", "/session/ses_nope/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "x"}}}, http.StatusNotFound)
	c.fail("GET", "/session/ses_nope/message", nil, http.StatusNotFound)

	var all []spec.Session
	c.call("GET", "/session?agent_id="+a.ID, nil, http.StatusOK, &all)
	if len(all) != 1 || all[0].ID != s.ID {
		t.Fatalf("list by agent: %+v", all)
	}
	c.call("GET", "/session?agent_id=agent_other", nil, http.StatusOK, &all)
	if len(all) != 0 {
		t.Fatalf("list of another agent: %+v", all)
	}

	var deleted bool
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, &deleted)
	if !deleted {
		t.Fatal("DELETE /session must answer true")
	}
	c.fail("GET", "/session/"+s.ID, nil, http.StatusNotFound)
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, &deleted) // idempotent
	c.call("DELETE", "/session/ses_neverexisted", nil, http.StatusOK, &deleted)
	if _, err := os.Stat(filepath.Join(inst.DataDir, "sessions", s.ID)); !os.IsNotExist(err) {
		t.Errorf("session dir left behind: %v", err)
	}
}

func TestFirstPromptIsSentOnce(t *testing.T) {
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "a"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID, Prompt: "first words"})
	var history []spec.Message
	eventually(t, "the first prompt is answered", func() bool {
		c.call("GET", "/session/"+s.ID+"/message", nil, http.StatusOK, &history)
		return len(history) >= 2
	})
	if len(history) != 2 || history[0].Text() != "first words" || history[1].Text() != "first words" {
		t.Fatalf("history: %+v", history)
	}
	c.waitStatus(s.ID, spec.SessionIdle)
}

func TestSessionErrors(t *testing.T) {
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)

	e := c.fail("POST", "/session", spec.SessionSpec{}, http.StatusBadRequest)
	if e.Field != "agent_id" {
		t.Errorf("missing agent_id: %+v", e)
	}
	e = c.fail("POST", "/session", spec.SessionSpec{AgentID: "agent_nope"}, http.StatusNotFound)
	if e.Field != "agent_id" {
		t.Errorf("unknown agent: %+v", e)
	}
	active := c.activeAgent(spec.AgentSpec{Name: "a"})
	e = c.fail("POST", "/session", spec.SessionSpec{AgentID: active.ID, EnvVars: map[string]string{"AGENT_PROMPT": "x"}}, http.StatusBadRequest)
	if e.Field != "env_vars.AGENT_PROMPT" {
		t.Errorf("reserved session env: %+v", e)
	}
	e = c.fail("POST", "/session", spec.SessionSpec{AgentID: active.ID, Environment: &spec.SessionEnvironment{Repository: "nope"}}, http.StatusBadRequest)
	if e.Field != "environment.repository" {
		t.Errorf("bad repository: %+v", e)
	}
	c.fail("GET", "/session/ses_nope", nil, http.StatusNotFound)

	// No command mapped for the harness: 502 saying how to map one.
	sdk := c.activeAgent(spec.AgentSpec{Name: "sdk", Harness: "claude-agent-sdk"})
	s := c.startSession(spec.SessionSpec{AgentID: sdk.ID})
	c.waitStatus(s.ID, spec.SessionIdle)
	e = c.fail("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "hi"}}}, http.StatusBadGateway)
	want := "no command mapped for harness claude-agent-sdk: start the server with --harness-cmd claude-agent-sdk='your-command' (it gets the message on stdin)"
	if e.Type != spec.ErrRuntime || e.Message != want {
		t.Errorf("unmapped harness: %+v", e)
	}

	// A failing command: 502 with the end of its stderr; nothing stored.
	bad := c.activeAgent(spec.AgentSpec{Name: "bad", Harness: "failing"})
	s = c.startSession(spec.SessionSpec{AgentID: bad.ID})
	c.waitStatus(s.ID, spec.SessionIdle)
	e = c.fail("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "hi"}}}, http.StatusBadGateway)
	if !strings.Contains(e.Message, "it broke: bad flag") || !strings.Contains(e.Message, "code 3") {
		t.Errorf("failing command: %+v", e)
	}
	var history []spec.Message
	c.call("GET", "/session/"+s.ID+"/message", nil, http.StatusOK, &history)
	if len(history) != 0 {
		t.Errorf("a failed exchange was stored: %+v", history)
	}
	if st := c.session(s.ID); st.Status != spec.SessionIdle {
		t.Errorf("after a failed message the session is %s, want idle", st.Status)
	}

	// TUI sessions take no messages.
	tui := c.activeAgent(spec.AgentSpec{Name: "tui", Harness: "claude-code"})
	ts := c.startSession(spec.SessionSpec{AgentID: tui.ID})
	e = c.fail("POST", "/session/"+ts.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "hi"}}}, http.StatusConflict)
	if !strings.Contains(e.Message, "attach to tty_url") {
		t.Errorf("TUI message: %+v", e)
	}
}

func TestSessionEnvironment(t *testing.T) {
	t.Setenv("LITELLM_MASTER_KEY", "sk-must-not-leak")
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "env", Harness: "env-dump", Model: "agent/model", Requirements: "requests\n",
		EnvVars: map[string]string{"ONLY_AGENT": "agent", "BOTH": "agent"}})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID, EnvVars: map[string]string{"BOTH": "session", "ONLY_SESSION": "s"},
		Environment: &spec.SessionEnvironment{Model: "session/model"}})
	c.waitStatus(s.ID, spec.SessionIdle)
	env := map[string]string{}
	for _, line := range strings.Split(c.message(s.ID, "x"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	sessionDir := filepath.Join(inst.DataDir, "sessions", s.ID)
	for k, want := range map[string]string{
		"ONLY_AGENT": "agent", "BOTH": "session", "ONLY_SESSION": "s",
		"LITELLM_DEFAULT_MODEL": "session/model", "HOME": filepath.Join(sessionDir, "home"),
		"PWD": filepath.Join(sessionDir, "work"), "TERM": "xterm-256color", "AGENT_REQUIREMENTS": "requests",
		"LAPCTL_SESSION_ID": s.ID,
	} {
		if env[k] != want {
			t.Errorf("%s = %q, want %q", k, env[k], want)
		}
	}
	if _, ok := env["LITELLM_MASTER_KEY"]; ok {
		t.Errorf("the master key leaked into the harness environment")
	}
	if _, ok := env["REPO_URL"]; ok {
		t.Errorf("REPO_URL set without a repo")
	}

	// A message's model overrides the session's.
	var reply []spec.Message
	c.call("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Model: &spec.MessageModel{ModelID: "msg/model"},
		Parts: []spec.Part{{Type: "text", Text: "x"}}}, http.StatusOK, &reply)
	if !strings.Contains(reply[0].Text(), "LITELLM_DEFAULT_MODEL=msg/model") || reply[0].Info.ModelID != "msg/model" {
		t.Errorf("message model: %+v", reply[0].Info)
	}
}

func TestEffectivePromptWithSkills(t *testing.T) {
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)
	var s1, s2 spec.Skill
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "one", Content: "FIRST SKILL", OwnerID: "owner-1"}, http.StatusCreated, &s1)
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "two", Content: "SECOND SKILL", OwnerID: "owner-1"}, http.StatusCreated, &s2)

	for name, tc := range map[string]struct {
		system, prompt string
		want           string
	}{
		"system":             {"SYSTEM", "ignored", "SYSTEM"},
		"prompt when no sys": {"", "PROMPT", "PROMPT"},
	} {
		a := c.activeAgent(spec.AgentSpec{Name: name, Harness: "prompt-dump", System: tc.system, Prompt: tc.prompt,
			SkillIDs: []string{s2.ID, s1.ID, s2.ID}})
		s := c.startSession(spec.SessionSpec{AgentID: a.ID})
		c.waitStatus(s.ID, spec.SessionIdle)
		want := tc.want + "\n\n<!-- skill:" + s2.ID + " -->\nSECOND SKILL\n\n<!-- skill:" + s1.ID + " -->\nFIRST SKILL"
		if got := c.message(s.ID, "x"); got != want {
			t.Errorf("%s: AGENT_PROMPT = %q, want %q", name, got, want)
		}
	}
}

func TestSandboxFilesAreWritten(t *testing.T) {
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "files", Harness: "files", SandboxFiles: []spec.SandboxFile{
		file("a", "~/notes/a.txt", "in home"), file("b", "/work/b.txt", "in work"), file("c", "/work/deep/c.txt", "deeper"),
	}})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	c.waitStatus(s.ID, spec.SessionIdle)
	if got := c.message(s.ID, "x"); got != "in home\nin work\ndeeper" {
		t.Fatalf("files seen by the harness: %q", got)
	}
	info, err := os.Stat(filepath.Join(inst.DataDir, "sessions", s.ID, "home", "notes", "a.txt"))
	if err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Fatalf("sandbox file must be private: %v %v", info.Mode(), err)
	}
}

func TestSandboxPathsAreConfined(t *testing.T) {
	inst := servertest.Start(t, apiHarnesses...)
	c := newClient(t, inst)
	// A .. segment is refused at create by the shared spec rule.
	for _, path := range []string{"~/../../etc/x", "/../../../etc/x"} {
		e := c.fail("POST", "/api/agents", spec.AgentSpec{Name: "dots", OwnerID: "o", SandboxFiles: []spec.SandboxFile{file("evil", path, "pwned")}}, http.StatusBadRequest)
		if e.Field != "sandbox_files[0].sandbox_path" || !strings.Contains(e.Message, "..") {
			t.Errorf("%s: %+v", path, e)
		}
	}
	for name, path := range map[string]string{
		"another user": "~root/x",
	} {
		a := c.activeAgent(spec.AgentSpec{Name: name, SandboxFiles: []spec.SandboxFile{file("evil", path, "pwned")}})
		s := c.startSession(spec.SessionSpec{AgentID: a.ID})
		s = c.waitStatus(s.ID, spec.SessionError)
		if s.Phase != spec.PhaseFailed || !strings.Contains(s.FailureReason, path) || !strings.Contains(s.FailureReason, "sandbox_path") {
			t.Errorf("%s: phase %q reason %q", name, s.Phase, s.FailureReason)
		}
		e := c.fail("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "x"}}}, http.StatusConflict)
		if !strings.Contains(e.Message, "not running") {
			t.Errorf("%s: message to a failed session: %+v", name, e)
		}
	}
	for _, p := range []string{filepath.Join(inst.DataDir, "etc"), filepath.Join(inst.DataDir, "sessions", "etc"), "/etc/x"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written outside a session dir", p)
		}
	}
}

func TestDeleteAgentStopsItsSessions(t *testing.T) {
	// Unsandboxed, so $$ is the host's pid (the sandboxed case is in
	// sandbox_test.go).
	inst := servertest.Start(t, append(apiHarnesses, noSandbox, servertest.WithHarnessCmd("claude-code", `echo $$ > "$HOME/pid"; exec sleep 300`))...)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "doomed", Harness: "claude-code"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	c.waitStatus(s.ID, spec.SessionRunning)
	pid := readPID(t, filepath.Join(inst.DataDir, "sessions", s.ID, "home", "pid"))

	c.call("DELETE", "/api/agents/"+a.ID, nil, http.StatusOK, nil)
	c.fail("GET", "/session/"+s.ID, nil, http.StatusNotFound)
	waitGone(t, pid)
	if _, err := os.Stat(filepath.Join(inst.DataDir, "sessions", s.ID)); !os.IsNotExist(err) {
		t.Errorf("session dir left behind: %v", err)
	}
}

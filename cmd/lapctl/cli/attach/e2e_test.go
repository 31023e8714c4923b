package attach_test

import (
	"context"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/attach"
	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/internal/apitest"
	"lapctl/iostreams"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// run executes `lapctl attach args` through the whole command tree, with
// stdin piped (not a terminal) and the given environment.
func run(env *clitest.Env, stdin string, vars map[string]string, args ...string) clitest.Result {
	return env.RunOpts(clitest.Opts{Stdin: stdin, Env: vars}, append([]string{"attach"}, args...)...)
}

func shellEnv(t *testing.T) *clitest.Env {
	return clitest.New(t, servertest.WithHarnessCmd("claude-code", "/bin/sh"))
}

func newAgent(t *testing.T, c *client.Client, name, harness string, resume bool) *spec.Agent {
	t.Helper()
	a, err := c.CreateAgent(context.Background(), &spec.AgentSpec{Name: name, OwnerID: clitest.Owner, Harness: harness})
	if err != nil {
		t.Fatal(err)
	}
	if resume {
		if _, err := c.ResumeAgent(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func TestAttachSessionExitCode(t *testing.T) {
	env := shellEnv(t)
	c := env.Client()
	a := newAgent(t, c, "shell", "claude-code", true)
	s, err := c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: a.ID, Title: "build-42"})
	if err != nil {
		t.Fatal(err)
	}
	// By title; the piped input runs in the shell, which exits with 3.
	r := run(env, "echo piped-$((2*21))\nexit 3\n", nil, "build-42")
	if r.Code != 3 || !strings.Contains(r.Out, "piped-42") {
		t.Fatalf("exit %d, want 3\nstdout: %q\nstderr: %s", r.Code, r.Out, r.Err)
	}
	if !strings.Contains(r.Err, s.ID+" exited: process exited (code=3)") {
		t.Errorf("stderr: %s", r.Err)
	}
}

func TestAttachAgent(t *testing.T) {
	env := shellEnv(t)
	c := env.Client()
	newAgent(t, c, "paused-shell", "claude-code", false)

	r := run(env, "exit 0\n", nil, "--agent", "paused-shell")
	r.Fail(t, 1, "is paused", "--resume")

	r = run(env, "exit 0\n", nil, "--agent", "paused-shell", "--resume", "--title", "from-cli")
	if r.Code != 0 {
		t.Fatalf("exit %d\nstderr: %s", r.Code, r.Err)
	}
	for _, want := range []string{"resumed agent paused-shell", "started session ses_", "exited: process exited (code=0)"} {
		if !strings.Contains(r.Err, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.Err)
		}
	}
	sessions, err := c.ListSessions(context.Background(), "")
	if err != nil || len(sessions) != 1 || sessions[0].Title != "from-cli" {
		t.Errorf("sessions = %+v, %v", sessions, err)
	}
}

func TestAttachAPIHarnessRefused(t *testing.T) {
	env := shellEnv(t)
	newAgent(t, env.Client(), "api-agent", "opencode", true)
	r := run(env, "", nil, "--agent", "api-agent")
	r.Fail(t, 5, "no terminal", "lapctl sessions send")

	// A session of it: the server says kind "api", so no terminal, at once.
	a, err := env.Client().ResolveAgent(context.Background(), "api-agent")
	if err != nil {
		t.Fatal(err)
	}
	s, err := env.Client().CreateSession(context.Background(), &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	r = run(env, "", nil, s.ID)
	r.Fail(t, 5, "has no terminal to attach to", "lapctl sessions send "+s.ID)
}

func TestAttachURL(t *testing.T) {
	env := shellEnv(t)
	c := env.Client()
	a := newAgent(t, c, "shell", "claude-code", true)
	s, err := c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	url, err := c.TTYURL(s)
	if err != nil {
		t.Fatal(err)
	}
	// Without a client, attach cannot wait for the start, and the server
	// drops keys typed before the process runs.
	apitest.WaitRunning(t, c, s.ID)
	r := run(env, "exit 4\n", map[string]string{attach.EnvTTYToken: s.TTYToken}, "--url", url)
	if r.Code != 4 {
		t.Fatalf("exit %d, want 4\nstderr: %s", r.Code, r.Err)
	}
	if strings.Contains(r.Err+r.Out, s.TTYToken) {
		t.Error("the token was printed")
	}
	r = run(env, "", nil, "--url", url, "--token", "wrong")
	r.Fail(t, 1, "401", "token was not accepted")
	if strings.Contains(r.Err, "wrong") {
		t.Error("the token was printed")
	}
}

// An SSH user acting as one owner cannot attach to another owner's
// session, by name or by id: it is not found for them.
func TestAttachRefusesAnotherOwnersSession(t *testing.T) {
	env := shellEnv(t)
	c := env.Client()
	a := newAgent(t, c, "shell", "claude-code", true)
	s, err := c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: a.ID, Title: "private"})
	if err != nil {
		t.Fatal(err)
	}
	asMallory := clitest.Opts{Stdin: "echo leaked\n", Factory: func(f *cmdutil.Factory) { f.Identity = "mallory" }}
	for _, ref := range []string{s.ID, "private"} {
		r := env.RunOpts(asMallory, "attach", ref)
		if r.Code != cmdutil.ExitNotFound || strings.Contains(r.Out, "leaked") {
			t.Errorf("attach %s as another owner: exit %d, stdout %q, stderr %s", ref, r.Code, r.Out, r.Err)
		}
	}
	r := env.RunOpts(clitest.Opts{Factory: func(f *cmdutil.Factory) { f.Identity = "mallory" }}, "attach", "--agent", "shell")
	if r.Code != cmdutil.ExitNotFound {
		t.Errorf("attach --agent of another owner: exit %d, stderr %s", r.Code, r.Err)
	}
}

// AttachSession (what `sessions create --attach` and the builder call)
// attaches to the session it is given; it used to call a nil resolver.
func TestAttachSessionHelper(t *testing.T) {
	env := shellEnv(t)
	c := env.Client()
	a := newAgent(t, c, "shell", "claude-code", true)
	s, err := c.CreateSession(context.Background(), &spec.SessionSpec{AgentID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	ios, in, out, _ := iostreams.Test()
	in.WriteString("echo via-helper-$((3*3))\nexit 6\n")
	f := cmdutil.New(ios)
	f.ConfigPath = env.ConfigPath
	err = attach.AttachSession(f)(context.Background(), s)
	if cmdutil.ExitCode(err) != 6 || !strings.Contains(out.String(), "via-helper-9") {
		t.Fatalf("AttachSession = %v (exit %d); stdout %q", err, cmdutil.ExitCode(err), out.String())
	}
}

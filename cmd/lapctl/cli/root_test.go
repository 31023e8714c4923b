package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli"
	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestNoArgsWithoutTerminalPrintsHelp(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	// nil args must not fall back to the test binary's os.Args.
	if code := cli.Execute(context.Background(), cmdutil.New(ios), nil); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Usage:", "agents", "sessions", "serve", "login"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	e := clitest.New(t)
	e.Run("frobnicate").Fail(t, 2, `unknown command "frobnicate" for "lapctl"`, "Run 'lapctl --help'")
	e.Run("agents", "lsit").Fail(t, 2, `unknown command "lsit"`, "did you mean list")
	r := e.Run("agents", "list", "--bogus")
	r.Fail(t, 2, "unknown flag: --bogus", "Usage:", "--limit")
	e.Run("agents", "list", "--limit", "many").Fail(t, 2, "invalid argument")
}

func TestRemoteTree(t *testing.T) {
	e := clitest.New(t)
	remote := func(f *cmdutil.Factory) { f.Remote, f.Identity = true, "ssh-user" }
	for _, local := range []string{"serve", "local", "login", "logout", "config"} {
		e.RunOpts(clitest.Opts{Factory: remote}, local).Fail(t, 2, "unknown command")
	}
	var a spec.Agent
	r := e.RunOpts(clitest.Opts{Factory: remote}, "agents", "create", "--name", "mine", "--owner", "someone-else", "--json")
	if r.Code != 0 {
		t.Fatalf("remote create: %d %s", r.Code, r.Err)
	}
	if err := jsonDecode(r.Out, &a); err != nil || a.OwnerID != "ssh-user" {
		t.Errorf("remote create made owner %q (%v): the SSH identity must win", a.OwnerID, err)
	}
	e.RunOpts(clitest.Opts{Factory: remote}, "agents", "create", "--name", "x", "--system-file", "/etc/passwd").Fail(t, 1, "not available over SSH")
	e.RunOpts(clitest.Opts{Factory: remote}, "agents", "create", "--name", "x", "--file", "/etc/passwd:~/p").Fail(t, 1, "not available over SSH")
	if r := e.RunOpts(clitest.Opts{Factory: remote, Stdin: "from stdin"}, "agents", "create", "--name", "y", "--system-file", "-"); r.Code != 0 {
		t.Errorf("stdin is allowed over SSH: %d %s", r.Code, r.Err)
	}
}

// TestRemoteOwnership: an SSH user acts through the operator's master key,
// so the commands themselves keep them to their own objects.
func TestRemoteOwnership(t *testing.T) {
	e := clitest.New(t, servertest.WithHarnessCmd("opencode", "cat"))
	c := e.Client()
	ctx := context.Background()
	theirs, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "theirs", OwnerID: "other", Harness: "opencode"})
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := c.CreateAgent(ctx, &spec.AgentSpec{Name: "mine", OwnerID: "ssh-user", Harness: "opencode"})
	shared, _ := c.CreateSkill(ctx, &spec.SkillSpec{Name: "shared", Content: "x"})
	for _, a := range []*spec.Agent{theirs, mine} {
		if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	theirSession, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: theirs.ID})
	if err != nil {
		t.Fatal(err)
	}
	mySession, _ := c.CreateSession(ctx, &spec.SessionSpec{AgentID: mine.ID})

	o := clitest.Opts{Factory: func(f *cmdutil.Factory) { f.Remote, f.Identity = true, "ssh-user" }}
	for _, args := range [][]string{
		{"agents", "get", theirs.ID},
		{"agents", "delete", theirs.ID, "--yes"},
		{"agents", "edit", "theirs", "--model", "m"},
		{"agents", "pause", "theirs"},
		{"sessions", "create", "--agent", "theirs"},
		{"sessions", "get", theirSession.ID},
		{"sessions", "send", theirSession.ID, "hi"},
		{"sessions", "delete", theirSession.ID, "--yes"},
		{"skills", "delete", "shared", "--yes"},
		{"skills", "edit", "shared", "--name", "mine-now"},
	} {
		e.RunOpts(o, args...).Fail(t, 3, "no ")
	}
	if _, err := c.GetAgent(ctx, theirs.ID); err != nil {
		t.Errorf("the other owner's agent is gone: %v", err)
	}
	r := e.RunOpts(o, "sessions", "list")
	if r.Code != 0 || !strings.Contains(r.Out, mySession.ID) || strings.Contains(r.Out, theirSession.ID) {
		t.Errorf("remote sessions list: %d\n%s", r.Code, r.Out)
	}
	if r := e.RunOpts(o, "skills", "get", shared.ID); r.Code != 0 {
		t.Errorf("a shared skill must stay readable: %d %s", r.Code, r.Err)
	}
	if r := e.RunOpts(o, "agents", "get", "mine"); r.Code != 0 {
		t.Errorf("own agent: %d %s", r.Code, r.Err)
	}
}

func TestCompletionScripts(t *testing.T) {
	e := clitest.New(t)
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		if out := e.OK("completion", sh); len(out) < 200 || !strings.Contains(out, "lapctl") {
			t.Errorf("%s script looks wrong (%d bytes)", sh, len(out))
		}
	}
	e.Run("completion", "tcsh").Fail(t, 2, "unknown shell")
	e.Run("completion").Fail(t, 2)
}

func TestDynamicCompletion(t *testing.T) {
	e := clitest.New(t)
	a, err := e.Client().CreateAgent(context.Background(), &spec.AgentSpec{Name: "reviewer", OwnerID: clitest.Owner})
	if err != nil {
		t.Fatal(err)
	}
	out := e.OK("__complete", "agents", "get", "")
	if !strings.Contains(out, a.ID+"\treviewer\n") || !strings.Contains(out, "reviewer\t"+a.ID+"\n") || !strings.Contains(out, ":4\n") {
		t.Errorf("agent completion:\n%s", out)
	}
	if out := e.OK("__complete", "agents", "delete", a.ID, ""); strings.Contains(out, a.ID+"\t") {
		t.Errorf("an agent already named is offered again:\n%s", out)
	}
	out = e.OK("__complete", "agents", "create", "--harness", "")
	for _, h := range []string{"opencode", "claude-code", "codex"} {
		if !strings.Contains(out, h+"\t") {
			t.Errorf("harness completion lacks %s:\n%s", h, out)
		}
	}
	out = e.OK("__complete", "--context", "")
	if !strings.HasPrefix(out, "test\n") {
		t.Errorf("context completion:\n%s", out)
	}

	// No server: no completions, no error, exit 0.
	url := e.Srv.URL
	e.OK("health")
	e.Srv.Close()
	out = e.OK("__complete", "--base-url", url, "agents", "get", "")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], ":") {
		t.Errorf("completion with the server down:\n%s", out)
	}
}

func jsonDecode(s string, v any) error {
	return json.NewDecoder(bytes.NewBufferString(s)).Decode(v)
}

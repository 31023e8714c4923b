package server_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// gitRepoOverDumbHTTP makes a bare repository with one commit on branch
// main (README, and a symlink that leads out of any checkout) and serves
// it over git's dumb HTTP protocol.
func gitRepoOverDumbHTTP(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: cannot test cloning repo_url (install git to run this test)")
	}
	root := t.TempDir()
	work, bare := filepath.Join(root, "work"), filepath.Join(root, "served", "repo.git")
	git := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com",
			"-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+root)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	git(work, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(work, "README"), []byte("hello from git"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../../../../../tmp", filepath.Join(work, "escape")); err != nil {
		t.Fatal(err)
	}
	git(work, "add", ".")
	git(work, "commit", "-q", "-m", "initial")
	git(root, "clone", "-q", "--bare", work, bare)
	git(bare, "update-server-info")
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(root, "served"))))
	t.Cleanup(srv.Close)
	return srv.URL + "/repo.git"
}

func TestRepoIsCloned(t *testing.T) {
	repo := gitRepoOverDumbHTTP(t)
	inst := servertest.Start(t, servertest.WithHarnessCmd("opencode", `cat README; echo; echo "$REPO_URL@$BRANCH"`))
	c := newClient(t, inst)

	a := c.activeAgent(spec.AgentSpec{Name: "cloner", RepoURL: repo})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	if s.Phase != spec.PhaseCloningRepo {
		t.Errorf("first phase %q, want %s", s.Phase, spec.PhaseCloningRepo)
	}
	c.waitStatus(s.ID, spec.SessionIdle)
	if got := c.message(s.ID, "x"); got != "hello from git\n"+repo+"@main\n" {
		t.Fatalf("harness saw %q", got)
	}

	t.Run("missing branch", func(t *testing.T) {
		s := c.startSession(spec.SessionSpec{AgentID: a.ID, Environment: &spec.SessionEnvironment{Ref: "no-such-branch"}})
		s = c.waitStatus(s.ID, spec.SessionError)
		if !strings.Contains(s.FailureReason, "git clone of "+repo+" (branch no-such-branch) failed") ||
			!strings.Contains(s.FailureReason, "check repo_url and branch") {
			t.Fatalf("failure_reason %q", s.FailureReason)
		}
	})

	t.Run("symlink out of the session", func(t *testing.T) {
		evil := c.activeAgent(spec.AgentSpec{Name: "evil", RepoURL: repo,
			SandboxFiles: []spec.SandboxFile{file("pwn", "/work/escape/lapctl-pwned", "x")}})
		s := c.startSession(spec.SessionSpec{AgentID: evil.ID})
		s = c.waitStatus(s.ID, spec.SessionError)
		if !strings.Contains(s.FailureReason, "/work/escape/lapctl-pwned") {
			t.Fatalf("failure_reason %q", s.FailureReason)
		}
		if _, err := os.Stat("/tmp/lapctl-pwned"); err == nil {
			t.Fatal("a sandbox file was written through a symlink out of the session")
		}
	})
}

func TestMissingGitIsExplained(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no git here
	inst := servertest.Start(t)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "a", RepoURL: "https://example.com/org/repo.git"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	s = c.waitStatus(s.ID, spec.SessionError)
	if s.FailureReason != "git is not installed on the server host: install git or remove repo_url" {
		t.Fatalf("failure_reason %q", s.FailureReason)
	}
}

package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/internal/testutil"
	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

const gitToken = "ghp_T0KENvalue4242"

// A repo_url with credentials clones (git gets them as a header from its
// environment) yet the token is on no command line, in no log line, error,
// record, checkout or database file, and not in the session's environment.
func TestRepoCredentialsStaySecret(t *testing.T) {
	repoURL := gitRepoOverDumbHTTP(t)
	served := strings.TrimPrefix(repoURL, "http://")
	host, path, _ := strings.Cut(served, "/")
	// Put the repository behind Basic auth.
	auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "alice" || p != gitToken {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "auth required", http.StatusUnauthorized)
			return
		}
		resp, err := http.Get("http://" + host + r.URL.Path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer auth.Close()
	credURL := "http://alice:" + gitToken + "@" + strings.TrimPrefix(auth.URL, "http://") + "/" + path

	// A git in front of the real one records every command line.
	argvLog := filepath.Join(t.TempDir(), "argv")
	shim := t.TempDir()
	realGit := lookPath(t, "git")
	script := "#!/bin/sh\necho \"$@\" >> " + argvLog + "\nexec " + realGit + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(shim, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", shim+":"+os.Getenv("PATH"))

	var logBuf testutil.SyncBuffer
	inst := servertest.Start(t, probeHarness, servertest.WithOptions(func(o *server.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}))
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "private", Harness: "opencode", RepoURL: credURL})
	s := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID}).ID, spec.SessionIdle)
	if out := c.message(s.ID, `cat README; echo; echo "REPO_URL=$REPO_URL"; cat .git/config`); !strings.Contains(out, "hello from git") || strings.Contains(out, gitToken) {
		t.Errorf("the session saw %q", out)
	}
	failed := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID, Environment: &spec.SessionEnvironment{Ref: "nope"}}).ID, spec.SessionError)
	bad := c.fail("POST", "/api/agents", spec.AgentSpec{Name: "bad", OwnerID: "o", RepoURL: "https://alice:" + gitToken + "@host"}, http.StatusBadRequest)
	var got spec.Session
	c.call("GET", "/session/"+failed.ID, nil, http.StatusOK, &got)

	argv, _ := os.ReadFile(argvLog)
	if !strings.Contains(string(argv), "clone") {
		t.Fatalf("git was not run through the shim: %q", argv)
	}
	inst.Close() // flush the database before reading its files
	places := map[string]string{"git's command line": string(argv), "the server log": logBuf.String(),
		"the failure reason": got.FailureReason, "a 400 message": bad.Message}
	for _, name := range []string{"lapctl.db", "lapctl.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(inst.DataDir, name))
		places[name] = string(b)
	}
	for where, text := range places {
		if strings.Contains(text, gitToken) {
			t.Errorf("the token is in %s", where)
		}
	}
	if !strings.Contains(got.FailureReason, "****@") {
		t.Errorf("failure reason %q does not show the masked URL", got.FailureReason)
	}
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return p
}

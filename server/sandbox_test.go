package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// The sandbox is the product, not an option of the tests: on a host where
// bubblewrap cannot make namespaces this fails with the reason, rather
// than letting every sandbox test pass vacuously.
func TestSandboxWorksOnThisHost(t *testing.T) {
	t.Parallel()
	if err := server.SandboxProbe(); err != nil {
		t.Fatalf("bubblewrap cannot sandbox sessions here: %v", err)
	}
}

// probeHarness runs each message's text as a shell script inside the
// session's sandbox and returns its output.
var probeHarness = servertest.WithHarnessCmd("opencode", `sh -s 2>&1`)

func sandboxedSession(t *testing.T, inst *servertest.Instance, a spec.AgentSpec) (*apiClient, spec.Session) {
	t.Helper()
	c := newClient(t, inst)
	a.Harness = "opencode"
	ag := c.activeAgent(a)
	s := c.startSession(spec.SessionSpec{AgentID: ag.ID})
	s = c.waitSession(s.ID, "idle or failed", func(s spec.Session) bool { return s.Status == spec.SessionIdle || s.Status == spec.SessionError })
	if s.Status != spec.SessionIdle {
		t.Fatalf("sandboxed session did not start: %s", s.FailureReason)
	}
	return c, s
}

// A session's process cannot read the data dir (database, secret key,
// other sessions), the server's home or config, nor write outside its
// own directory.
func TestSandboxHidesTheDataDir(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, probeHarness)
	other := filepath.Join(inst.DataDir, "sessions", "ses_other")
	if err := os.MkdirAll(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "loot"), []byte("bob's secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	c, s := sandboxedSession(t, inst, spec.AgentSpec{Name: "nosy"})
	for _, p := range []string{
		filepath.Join(inst.DataDir, "secret.key"), filepath.Join(inst.DataDir, "lapctl.db"),
		filepath.Join(other, "loot"), filepath.Join(home, ".config"),
	} {
		out := c.message(s.ID, fmt.Sprintf(`if cat %q >/dev/null 2>&1 || ls %q >/dev/null 2>&1; then echo READABLE; else echo HIDDEN; fi`, p, p))
		if strings.TrimSpace(out) != "HIDDEN" {
			t.Errorf("%s from inside a session: %s", p, out)
		}
	}
	out := c.message(s.ID, `ls -A "$(dirname "$(dirname "$HOME")")"; echo "home=$HOME pwd=$PWD"; touch "$HOME/ok" && echo WROTE-HOME; touch /usr/lapctl-x 2>/dev/null && echo WROTE-USR; touch /etc/lapctl-x 2>/dev/null && echo WROTE-ETC; echo done`)
	sessionDir := filepath.Join(inst.DataDir, "sessions", s.ID)
	if want := s.ID + "\n"; !strings.HasPrefix(out, want) {
		t.Errorf("the sessions dir seen inside holds more than this session:\n%s", out)
	}
	if !strings.Contains(out, "home="+filepath.Join(sessionDir, "home")) || !strings.Contains(out, "WROTE-HOME") {
		t.Errorf("HOME is not the session's writable home:\n%s", out)
	}
	if strings.Contains(out, "WROTE-USR") || strings.Contains(out, "WROTE-ETC") {
		t.Errorf("the system is writable from a session:\n%s", out)
	}
}

// Other processes (the server, with its --master-key on the command line
// and its environment) are not there, and the session's environment is
// explicit, not the server's.
func TestSandboxHidesOtherProcessesAndTheServerEnv(t *testing.T) {
	t.Setenv("LAPCTL_TEST_SERVER_ONLY", "server-secret-value")
	inst := servertest.Start(t, probeHarness)
	c, s := sandboxedSession(t, inst, spec.AgentSpec{Name: "ps", EnvVars: map[string]string{"AGENT_VAR": "mine"}})
	self := os.Getpid()
	out := c.message(s.ID, fmt.Sprintf(`cat /proc/%d/environ >/dev/null 2>&1 && echo SERVER-ENV; cat /proc/%d/cmdline >/dev/null 2>&1 && echo SERVER-CMDLINE; ls /proc | grep -c '^[0-9]'; env`, self, self))
	if strings.Contains(out, "SERVER-") {
		t.Errorf("the server's process is visible from a session:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	if n, err := strconv.Atoi(strings.TrimSpace(lines[0])); err != nil || n > 8 {
		t.Errorf("a session sees %q processes; want only its own few:\n%s", lines[0], out)
	}
	if strings.Contains(out, "server-secret-value") || strings.Contains(out, "LAPCTL_TEST_SERVER_ONLY") {
		t.Errorf("the server's environment reached the session:\n%s", out)
	}
	for _, want := range []string{"AGENT_VAR=mine", "HOME=", "PATH=", "LANG=", "LAPCTL_SESSION_ID=" + s.ID, "HTTPS_PROXY=http://127.0.0.1:"} {
		if !strings.Contains(out, want) {
			t.Errorf("session env lacks %s:\n%s", want, out)
		}
	}
}

// A stopped sandboxed session leaves no process behind on the host.
func TestSandboxedSessionEndsWithItsProcesses(t *testing.T) {
	t.Parallel()
	marker := "31" + strconv.Itoa(os.Getpid()%100000)
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "sleep "+marker+" & exec sleep "+marker))
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "sleeper", Harness: "claude-code"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	c.waitStatus(s.ID, spec.SessionRunning)
	eventually(t, "both sleeps run", func() bool { return len(processesWithArg(marker)) == 2 })
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, nil)
	eventually(t, "the sandbox's processes are gone", func() bool { return len(processesWithArg(marker)) == 0 })
}

// processesWithArg lists host pids whose command line holds arg.
func processesWithArg(arg string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(b), "sleep\x00"+arg) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// Where the sandbox cannot be set up a session fails, saying why; it
// never runs unprotected unless the operator said --no-sandbox, which the
// session then shows.
func TestNoSandboxIsRefusedOrShown(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, probeHarness)
	server.BreakSandbox(inst.Server, "bubblewrap cannot create namespaces here")
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "x", Harness: "opencode"})
	s := c.waitStatus(c.startSession(spec.SessionSpec{AgentID: a.ID}).ID, spec.SessionError)
	if !strings.Contains(s.FailureReason, "sandbox") || !strings.Contains(s.FailureReason, "cannot create namespaces") {
		t.Errorf("failure_reason %q does not say the sandbox is why", s.FailureReason)
	}

	open := servertest.Start(t, probeHarness, noSandbox)
	oc := newClient(t, open)
	b := oc.activeAgent(spec.AgentSpec{Name: "y", Harness: "opencode"})
	s = oc.waitStatus(oc.startSession(spec.SessionSpec{AgentID: b.ID}).ID, spec.SessionIdle)
	if !strings.Contains(s.Notice, "--no-sandbox") {
		t.Errorf("an unsandboxed session's notice %q does not say so", s.Notice)
	}
}

// A master key file inside a tree sessions get read-only (/etc) is masked.
func TestSandboxHidesTheKeyFile(t *testing.T) {
	dir, err := os.MkdirTemp("/etc", "lapctl-test-")
	if err != nil {
		t.Skipf("cannot write under /etc to place a key file there: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	keyFile := filepath.Join(dir, "master.key")
	if err := os.WriteFile(keyFile, []byte("sk-in-etc-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inst := servertest.Start(t, probeHarness, servertest.WithOptions(func(o *server.Options) { o.MasterKeyFile = keyFile }))
	c, s := sandboxedSession(t, inst, spec.AgentSpec{Name: "etc"})
	if out := c.message(s.ID, "cat "+keyFile+"; echo end"); strings.Contains(out, "sk-in-etc-secret") {
		t.Errorf("the key file under /etc is readable in a session: %q", out)
	}
}

// An API session's messages run in its one long-lived sandbox: a message
// whose client leaves has its command ended there (the session goes on),
// and deleting the session ends the sandbox with everything in it.
func TestSandboxedMessagesEndWithTheirClientAndSession(t *testing.T) {
	t.Parallel()
	marker := "47" + strconv.Itoa(os.Getpid()%100000)
	inst := servertest.Start(t, probeHarness)
	c, s := sandboxedSession(t, inst, spec.AgentSpec{Name: "slow"})

	ctx, cancel := context.WithCancel(context.Background())
	left := make(chan error, 1)
	go func() {
		body, _ := json.Marshal(spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "sleep " + marker}}})
		req, _ := http.NewRequestWithContext(ctx, "POST", inst.URL+"/session/"+s.ID+"/message", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+inst.Key)
		req.Header.Set("Content-Type", "application/json")
		_, err := http.DefaultClient.Do(req)
		left <- err
	}()
	eventually(t, "the message's command runs", func() bool { return len(processesWithArg(marker)) == 1 })
	cancel()
	<-left
	eventually(t, "the abandoned command is gone", func() bool { return len(processesWithArg(marker)) == 0 })
	if out := c.message(s.ID, "echo still here"); out != "still here\n" {
		t.Fatalf("the session after an abandoned message: %q", out)
	}

	answered := make(chan int, 1)
	go func() {
		status, _ := c.raw("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "sleep " + marker}}}, nil)
		answered <- status
	}()
	eventually(t, "the second command runs", func() bool { return len(processesWithArg(marker)) == 1 })
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, nil)
	eventually(t, "the session's sandbox is gone with its command", func() bool { return len(processesWithArg(marker)) == 0 })
	if status := <-answered; status != http.StatusConflict {
		t.Errorf("a message cut short by the session's delete: %d, want 409", status)
	}
}

package sshservecmd_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/sshservecmd"
	"lapctl/internal/sshtest"
	"lapctl/internal/testutil"
	"lapctl/iostreams"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// sshRun runs cmd without a PTY and returns stdout, stderr and the status.
func sshRun(t *testing.T, addr string, key gossh.Signer, cmd string) (string, string, int) {
	t.Helper()
	c, err := sshtest.Dial(t, addr, "someone", key, gossh.InsecureIgnoreHostKey())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return sshtest.Run(t, c, "", cmd)
}

func agentNames(t *testing.T, out string) []string {
	t.Helper()
	var agents []spec.Agent
	if err := json.Unmarshal([]byte(out), &agents); err != nil {
		t.Fatalf("agents list --json: %v in %q", err, out)
	}
	var names []string
	for _, a := range agents {
		names = append(names, a.Name+"@"+a.OwnerID)
	}
	return names
}

// TestSSHServeEndToEnd runs `lapctl ssh-serve` as wired for the binary
// (NewCmdSSHServe with cli.NewRootCmd) against the embedded platform.
func TestSSHServeEndToEnd(t *testing.T) {
	inst := servertest.Start(t)
	c, err := client.New(client.Options{BaseURL: inst.URL, APIKey: inst.Key})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []spec.AgentSpec{{Name: "alpha", OwnerID: "alice"}, {Name: "bravo", OwnerID: "bob"}} {
		if _, err := c.CreateAgent(context.Background(), &a); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf("current_context: lab\ncontexts:\n  lab:\n    base_url: %s\n    master_key: %s\n", inst.URL, inst.Key)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	alice, ops := sshtest.NewKey(t), sshtest.NewKey(t)
	aliceKey, opsKey := alice.Signer, ops.Signer
	keysPath := filepath.Join(dir, "authorized_keys")
	keys := fmt.Sprintf("environment=\"LAPCTL_OWNER=alice\" %s alice\n%s ops\n", alice.Line, ops.Line)
	if err := os.WriteFile(keysPath, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}

	out, errOut := &testutil.SyncBuffer{}, &testutil.SyncBuffer{}
	ios := iostreams.New(strings.NewReader(""), out, errOut, false, nil, func(string) string { return "" })
	f := cmdutil.New(ios)
	f.ConfigPath = cfgPath
	cmd := sshservecmd.NewCmdSSHServe(f, cli.NewRootCmd)
	cmd.SetArgs([]string{"--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data"), "--authorized-keys", keysPath})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- cmd.ExecuteContext(ctx) }()
	testutil.WaitFor(t, "listening on", out.String)
	addr := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(out.String())[1]

	t.Run("agents list is scoped by the key's owner", func(t *testing.T) {
		stdout, stderr, code := sshRun(t, addr, aliceKey, "agents list --json")
		if code != 0 || fmt.Sprint(agentNames(t, stdout)) != "[alpha@alice]" {
			t.Fatalf("alice: %q %q %d", stdout, stderr, code)
		}
		// --owner cannot widen it.
		stdout, _, _ = sshRun(t, addr, aliceKey, "agents list --owner bob --json")
		if fmt.Sprint(agentNames(t, stdout)) != "[alpha@alice]" {
			t.Errorf("alice --owner bob: %s", stdout)
		}
		// A key without a mapping acts as the operator.
		stdout, _, _ = sshRun(t, addr, opsKey, "agents list --json --sort name --order asc")
		if fmt.Sprint(agentNames(t, stdout)) != "[alpha@alice bravo@bob]" {
			t.Errorf("operator: %s", stdout)
		}
	})

	t.Run("the operator's endpoint cannot be changed", func(t *testing.T) {
		_, stderr, code := sshRun(t, addr, aliceKey, "--base-url http://127.0.0.1:9 agents list")
		if code != cmdutil.ExitUsage || !strings.Contains(stderr, "not available over SSH") {
			t.Errorf("--base-url: %q, code %d", stderr, code)
		}
	})

	t.Run("errors, help and local commands", func(t *testing.T) {
		_, stderr, code := sshRun(t, addr, aliceKey, "agents get nope")
		if code != cmdutil.ExitNotFound || !strings.Contains(stderr, "error:") {
			t.Errorf("get nope: %q, code %d", stderr, code)
		}
		if _, stderr, code = sshRun(t, addr, aliceKey, "serve"); code != cmdutil.ExitUsage || !strings.Contains(stderr, `unknown command "serve"`) {
			t.Errorf("serve over ssh: %q, code %d", stderr, code)
		}
		stdout, _, code := sshRun(t, addr, aliceKey, "")
		if code != 0 || !strings.Contains(stdout, "agents") || !strings.Contains(stdout, "Usage:") {
			t.Errorf("no args: %q, code %d", stdout, code)
		}
	})

	t.Run("console", func(t *testing.T) {
		sc := openConsole(t, addr, aliceKey)
		sc.WaitFor("user alice")
		sc.WaitFor("Agents 1") // the list has loaded
		sc.WaitFor("alpha")
		if strings.Contains(sc.Text(), "bravo") {
			t.Errorf("alice's console shows bob's agent:\n%s", sc.Text())
		}
		sc.Type("q")
		if code := sc.Wait(); code != 0 {
			t.Errorf("console: exit status %d", code)
		}
	})

	// SIGTERM reaches the command as a cancelled context.
	sc := openConsole(t, addr, aliceKey)
	sc.WaitFor("alpha")
	stop()
	sc.WaitFor("the server is shutting down")
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ssh-serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("ssh-serve did not stop")
	}
	for _, want := range []string{"ssh session start", "owner=alice", "exit_code=0", "ssh-serve shutting down"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), inst.Key) {
		t.Error("the master key is in the log")
	}
}

// openConsole opens the console as alice on a 120×30 terminal.
func openConsole(t *testing.T, addr string, key gossh.Signer) *sshtest.Screen {
	t.Helper()
	c, err := sshtest.Dial(t, addr, "alice", key, gossh.InsecureIgnoreHostKey())
	if err != nil {
		t.Fatal(err)
	}
	return sshtest.OpenScreen(t, c, 120, 30, "")
}

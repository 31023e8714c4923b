package local

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/spec"
)

// TestLocalWithoutTerminal runs `local --demo` with no terminal: the
// server comes up in-process on a loopback port, seeded, logging to its
// file only, and stops when the context ends.
func TestLocalWithoutTerminal(t *testing.T) {
	dataDir := t.TempDir()
	pr, pw := io.Pipe()
	var out bytes.Buffer
	ios := iostreams.New(&bytes.Buffer{}, &out, pw, false, nil, nil)
	f := cmdutil.New(ios)
	f.ConfigPath = filepath.Join(t.TempDir(), "config.yaml")
	opts := newLocalOptions(f)
	opts.Listen, opts.DataDir, opts.Demo = "127.0.0.1:0", dataDir, true

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- localRun(ctx, opts)
		pw.Close()
	}()

	sc := bufio.NewScanner(pr)
	var url string
	var said strings.Builder
	for url == "" && sc.Scan() {
		said.WriteString(sc.Text() + "\n")
		if m := regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("no URL announced:\n%s", said.String())
	}
	go io.Copy(io.Discard, pr)

	// The factory now points every client at the local server.
	c, err := f.Client()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != url {
		t.Errorf("client base URL %s, want %s", c.BaseURL(), url)
	}
	// The run's key is random, never the documented sk-local.
	if k := f.Overrides.APIKey; k == "sk-local" || len(k) < 32 {
		t.Errorf("local server key %q is guessable", k)
	}
	page, err := c.ListAgents(ctx, client.ListAgentsParams{})
	if err != nil || page.Total == 0 {
		t.Errorf("demo agents: %v, %v", page, err)
	}

	// In demo mode an API-harness message gets the labelled demo reply.
	notes, err := c.ResolveAgent(ctx, "release-notes")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: notes.ID})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := c.SendMessage(ctx, sess.ID, "hello demo", "")
	if err != nil || len(reply) == 0 || !strings.Contains(reply[0].Text(), "You said: hello demo") || !strings.Contains(reply[0].Text(), "no model attached") {
		t.Errorf("demo reply = %+v, %v", reply, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("local did not stop")
	}
	info, err := os.Stat(filepath.Join(dataDir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("server.log mode %04o", info.Mode().Perm())
	}
	logData, _ := os.ReadFile(filepath.Join(dataDir, "server.log"))
	if !strings.Contains(string(logData), "GET") && !strings.Contains(string(logData), "listening") {
		t.Errorf("server.log:\n%s", logData)
	}
	if strings.Contains(said.String(), "level=") || out.Len() != 0 {
		t.Errorf("server log reached the terminal: stdout %q, stderr %q", out.String(), said.String())
	}
}

func TestRunKeyIsFreshEachRun(t *testing.T) {
	a, b := runKey(""), runKey("")
	if a == b || a == "sk-local" || len(a) < 32 {
		t.Errorf("run keys %q and %q: want two different random keys", a, b)
	}
	if got := runKey("sk-mine"); got != "sk-mine" {
		t.Errorf("runKey with LITELLM_MASTER_KEY = %q, want the operator's key", got)
	}
}

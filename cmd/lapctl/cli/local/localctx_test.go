package local

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
)

// TestLocalPublishesAndRestoresContext: while `local` runs, the config's
// current context is `local` with this run's URL and key (0600); after it
// stops, the context that was there before and the old current context
// come back.
func TestLocalPublishesAndRestoresContext(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	before := mustLoad(t, cfgPath)
	before.SetContext("hosted", &config.Context{BaseURL: "https://lap.example.com"})
	before.SetContext(ContextName, &config.Context{BaseURL: "http://127.0.0.1:4999", OwnerID: "me", DefaultModel: "m1"})
	before.CurrentContext = "hosted"
	if err := before.Save(); err != nil {
		t.Fatal(err)
	}

	pr, pw := io.Pipe()
	ios := iostreams.New(&bytes.Buffer{}, &bytes.Buffer{}, pw, false, nil, nil)
	f := cmdutil.New(ios)
	f.ConfigPath = cfgPath
	opts := newLocalOptions(f)
	opts.Listen, opts.DataDir = "127.0.0.1:0", t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- localRun(ctx, opts); pw.Close() }()
	url := announcedURL(t, pr)
	go io.Copy(io.Discard, pr)

	during := mustLoad(t, cfgPath)
	lc := during.Context(ContextName)
	if during.CurrentContext != ContextName || lc == nil || lc.BaseURL != url || lc.MasterKey != f.Overrides.APIKey || lc.MasterKey == "" {
		t.Fatalf("during the run: current %q, local %+v; want current local at %s with the run's key", during.CurrentContext, lc, url)
	}
	if lc.OwnerID != LocalOwner || lc.DefaultModel != "m1" {
		t.Errorf("local context: want the console's owner and the earlier default model: %+v", lc)
	}
	if info, err := os.Stat(cfgPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("config holding the run key: %v, mode %v", err, info.Mode().Perm())
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
	after := mustLoad(t, cfgPath)
	if after.CurrentContext != "hosted" {
		t.Errorf("current context after the run = %q, want hosted", after.CurrentContext)
	}
	if got := after.Context(ContextName); got == nil || got.BaseURL != "http://127.0.0.1:4999" || got.MasterKey != "" {
		t.Errorf("earlier local context not restored: %+v", got)
	}
}

// TestLocalRemovesContextItAdded: with no local context before, none
// stays after.
func TestLocalRemovesContextItAdded(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	cfg := mustLoad(t, cfgPath)
	lc, err := publishLocal(cfg, "http://127.0.0.1:1234", "sk-run-x", LocalOwner)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustLoad(t, cfgPath); got.CurrentContext != ContextName {
		t.Fatalf("current = %q", got.CurrentContext)
	}
	if err := lc.restore("http://127.0.0.1:1234"); err != nil {
		t.Fatal(err)
	}
	if got := mustLoad(t, cfgPath); got.CurrentContext != "" || got.Context(ContextName) != nil {
		t.Errorf("after restore: current %q, contexts %v", got.CurrentContext, got.ContextNames())
	}
}

// TestListenFallsBackWhenDefaultTaken: the default port taken means a
// free port; an explicit --listen that is taken is an error.
func TestListenFallsBackWhenDefaultTaken(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	ln, err := listen(addr, false)
	if err != nil {
		t.Fatalf("fallback: %v", err)
	}
	if ln.Addr().String() == addr {
		t.Errorf("fallback listened on the taken address")
	}
	ln.Close()
	if ln, err := listen(addr, true); err == nil {
		ln.Close()
		t.Error("explicit --listen on a taken port succeeded")
	}
}

func mustLoad(t *testing.T, path string) *config.Config {
	t.Helper()
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func announcedURL(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	t.Fatal("no URL announced")
	return ""
}

package server_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

func TestRestartKeepsEverything(t *testing.T) {
	const secret = "plaintext-secret-value-4f2a9c"
	dir := t.TempDir()
	first := servertest.Start(t, servertest.WithDataDir(dir), servertest.WithHarnessCmd("opencode", "cat"))
	c := newClient(t, first)
	var sk spec.Skill
	c.call("POST", "/api/skills", spec.SkillSpec{Name: "s", Content: "skill body", OwnerID: "owner-1"}, http.StatusCreated, &sk)
	a := c.activeAgent(spec.AgentSpec{Name: "keeper", SkillIDs: []string{sk.ID},
		EnvVars:      map[string]string{"API_TOKEN": secret},
		SandboxFiles: []spec.SandboxFile{file("f", "~/f.txt", "file body")}})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID, Title: "kept"})
	c.waitStatus(s.ID, spec.SessionIdle)
	c.message(s.ID, "remember me")
	first.Close()

	// Secrets are encrypted at rest: no file in the data dir holds the
	// plaintext (the database, its WAL, anything else).
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the env value in plaintext", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lapctl.db")); err != nil {
		t.Fatalf("database file: %v", err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "secret.key"): 0o600} {
		info, err := os.Stat(path)
		if err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, want)
		}
	}

	second := servertest.Start(t, servertest.WithDataDir(dir))
	c2 := newClient(t, second)
	var got spec.Agent
	c2.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
	if got.EnvVars["API_TOKEN"] != secret || got.Status != spec.StatusActive || len(got.SkillIDs) != 1 ||
		len(got.SandboxFiles) != 1 || got.SandboxFiles[0].Size != 9 {
		t.Fatalf("agent after restart: %+v", got)
	}
	var gotSkill spec.Skill
	c2.call("GET", "/api/skills/"+sk.ID, nil, http.StatusOK, &gotSkill)
	if gotSkill.Content != "skill body" {
		t.Fatalf("skill after restart: %+v", gotSkill)
	}
	st := c2.session(s.ID)
	if st.Status != spec.SessionExited || st.Title != "kept" || st.FailureReason == "" {
		t.Fatalf("session after restart: %+v", st)
	}
	var history []spec.Message
	c2.call("GET", "/session/"+s.ID+"/message", nil, http.StatusOK, &history)
	if len(history) != 2 || history[1].Text() != "remember me" {
		t.Fatalf("history after restart: %+v", history)
	}
	e := c2.fail("POST", "/session/"+s.ID+"/message", spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "x"}}}, http.StatusConflict)
	if e.Type != spec.ErrConflict {
		t.Fatalf("message to an ended session: %+v", e)
	}
}

func TestConcurrentCreatesAllLand(t *testing.T) {
	inst := servertest.Start(t)
	c := newClient(t, inst)
	const workers, each = 20, 100
	ids := make(chan string, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				status, body := c.raw("POST", "/api/agents", spec.AgentSpec{
					Name: fmt.Sprintf("w%d-%d", w, i), OwnerID: "bulk",
					EnvVars: map[string]string{"N": fmt.Sprint(i)},
				}, nil)
				if status != http.StatusCreated {
					t.Errorf("create: %d %s", status, body)
					return
				}
				ids <- string(jsonField(t, body, "id"))
			}
		})
	}
	wg.Wait()
	close(ids)
	want := map[string]bool{}
	for id := range ids {
		want[id[1:len(id)-1]] = true
	}
	if len(want) != workers*each {
		t.Fatalf("%d distinct agents created, want %d", len(want), workers*each)
	}
	seen := 0
	for offset := 0; ; offset += spec.MaxListLimit {
		var page spec.AgentList
		c.call("GET", fmt.Sprintf("/api/agents?owner_id=bulk&limit=%d&offset=%d", spec.MaxListLimit, offset), nil, http.StatusOK, &page)
		if page.Total != workers*each {
			t.Fatalf("total = %d", page.Total)
		}
		for _, a := range page.Agents {
			if !want[a.ID] || a.EnvVars["N"] == "" {
				t.Fatalf("unexpected or incomplete agent %+v", a)
			}
			delete(want, a.ID)
			seen++
		}
		if len(page.Agents) < spec.MaxListLimit {
			break
		}
	}
	if seen != workers*each || len(want) != 0 {
		t.Fatalf("listed %d agents; %d missing", seen, len(want))
	}
}

func TestDataDirIsExclusive(t *testing.T) {
	inst := servertest.Start(t)
	_, err := server.New(server.Options{Listen: "127.0.0.1:0", DataDir: inst.DataDir})
	if err == nil || !strings.Contains(err.Error(), "in use by another lapctl server") {
		t.Fatalf("second server on one data dir: %v", err)
	}
	inst.Close()
	s, err := server.New(server.Options{Listen: "127.0.0.1:0", DataDir: inst.DataDir})
	if err != nil {
		t.Fatalf("after the first stopped: %v", err)
	}
	if err := s.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestDatabaseFilesArePrivate(t *testing.T) {
	inst := servertest.Start(t)
	newClient(t, inst).createAgent(spec.AgentSpec{Name: "private", EnvVars: map[string]string{"K": "v"}})
	for _, name := range []string{"lapctl.db", "lapctl.db-wal", "secret.key"} {
		info, err := os.Stat(filepath.Join(inst.DataDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %04o; want no group/other access", name, perm)
		}
	}
}

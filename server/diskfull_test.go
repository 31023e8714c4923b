package server_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// smallDisk mounts a 4 MiB tmpfs: a disk that really fills up.
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=4m,mode=0700"); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fill writes a file until the disk is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// On a full disk a write is a 507 naming the data dir (never a 500), and
// deleting still works, which is how the operator gets space back.
func TestFullDiskIs507AndDeletesWork(t *testing.T) {
	dir := smallDisk(t)
	inst := servertest.Start(t, servertest.WithDataDir(dir))
	c := newClient(t, inst)
	victim := c.createAgent(spec.AgentSpec{Name: "victim", Description: strings.Repeat("v", 8<<10)})
	filler := filepath.Join(dir, "filler")
	fill(t, filler)

	full := false
	for i := 0; i < 400 && !full; i++ {
		status, body := c.raw("POST", "/api/agents", spec.AgentSpec{Name: "more", OwnerID: "o", Description: strings.Repeat("d", 16<<10)}, nil)
		switch status {
		case http.StatusCreated:
		case http.StatusInsufficientStorage:
			full = true
			if e := decodeError(t, body); !strings.Contains(e.Message, dir) || !strings.Contains(e.Message, "full") {
				t.Errorf("507 message %q does not name the data dir", e.Message)
			}
		default:
			t.Fatalf("create on a filling disk: %d %s", status, body)
		}
	}
	if !full {
		t.Fatal("the disk never filled up: the test did not exercise a full disk")
	}
	c.call("DELETE", "/api/agents/"+victim.ID, nil, http.StatusOK, nil)
	c.fail("GET", "/api/agents/"+victim.ID, nil, http.StatusNotFound)

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	c.createAgent(spec.AgentSpec{Name: "after"})
}

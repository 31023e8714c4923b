package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// allocated is the disk space a file holds, past its size included.
func allocated(t *testing.T, path string) (size, onDisk int64) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size(), fi.Sys().(*syscall.Stat_t).Blocks * 512
}

// fallocateDir returns a directory whose filesystem can allocate ahead,
// or skips.
func fallocateDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "probe"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Fallocate(int(f.Fd()), 1, 0, 4096); errors.Is(err, syscall.EOPNOTSUPP) {
		t.Skipf("%s cannot allocate ahead: %v", dir, err)
	}
	return dir
}

func writeBytes(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(make([]byte, n)); err != nil {
		t.Fatal(err)
	}
}

func TestWALSpaceIsAllocatedAheadWithoutGrowingTheFile(t *testing.T) {
	t.Parallel()
	wal := filepath.Join(fallocateDir(t), "db-wal")
	writeBytes(t, wal, 1<<20)
	w := &walSpace{path: wal}
	w.reserve()
	size, onDisk := allocated(t, wal)
	if size != 1<<20 {
		t.Fatalf("reserving changed the WAL's size to %d: SQLite would read the space as frames", size)
	}
	if onDisk < 1<<20+walAheadMin {
		t.Fatalf("%d bytes allocated for a 1 MiB WAL, want at least %d ahead", onDisk, walAheadMin)
	}

	// Growing faster than the minimum: twice the growth is kept ahead.
	writeBytes(t, wal, 12<<20)
	w.reserve()
	if size, onDisk = allocated(t, wal); onDisk < size+24<<20 {
		t.Fatalf("after 12 MiB of growth, %d bytes allocated for %d, want 24 MiB ahead", onDisk, size)
	}

	// A TRUNCATE frees what was ahead; the next call allocates again.
	if err := os.Truncate(wal, 0); err != nil {
		t.Fatal(err)
	}
	writeBytes(t, wal, 4096)
	w.reserve()
	if _, onDisk = allocated(t, wal); onDisk < walAheadMin {
		t.Fatalf("after the WAL was cut, only %d bytes allocated ahead", onDisk)
	}
}

func TestWALSpaceLeavesANearlyFullDiskAlone(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=32m,mode=0700"); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	wal := filepath.Join(dir, "db-wal")
	writeBytes(t, wal, 4096)
	(&walSpace{path: wal}).reserve()
	if _, onDisk := allocated(t, wal); onDisk > 64<<10 {
		t.Fatalf("a 32 MiB disk had %d bytes taken ahead of the WAL: its room is for the writes", onDisk)
	}
}

// The checkpointer keeps the space ahead while creates come in.
func TestCheckpointerAllocatesTheWALAhead(t *testing.T) {
	t.Parallel()
	dir := fallocateDir(t)
	st := openTestStore(t, dir)
	wal := filepath.Join(dir, dbFile+"-wal")
	ctx := context.Background()
	for i, deadline := 0, time.Now().Add(20*time.Second); ; i++ {
		if err := st.createAgent(ctx, newTestAgent(fmt.Sprintf("a%d", i))); err != nil {
			t.Fatal(err)
		}
		if size, onDisk := allocated(t, wal); onDisk >= size+walAheadMin/2 {
			return
		}
		if time.Now().After(deadline) {
			size, onDisk := allocated(t, wal)
			t.Fatalf("after %d creates the WAL holds %d bytes on disk for %d: nothing allocated ahead", i, onDisk, size)
		}
	}
}

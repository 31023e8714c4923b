package server

import (
	"os"
	"syscall"
)

// walAheadMin is the least disk space kept allocated past the WAL's end
// while writes come in.
const walAheadMin = 16 << 20

// walSpace allocates the WAL's disk blocks ahead of the writer, from the
// checkpointer's goroutine, without changing the file's size (SQLite sees
// nothing).
//
// Why: on ext4 a write past the file's allocated blocks reserves new ones
// under the inode's allocation lock, and the checkpointer's fsync of the
// WAL holds that lock while it allocates the blocks of the frames written
// before (delayed allocation). A commit appending meanwhile waits the
// fsync out: 5–8 ms, measured as most of the create tail (docs/server.md).
// Appends into blocks allocated ahead never take the lock.
type walSpace struct {
	path     string
	lastSize int64 // the WAL's size at the last call
	reserved int64 // allocated up to here (past the size, from our last call)
}

// reserve keeps at least walAheadMin, or twice the growth since the last
// call, allocated past the WAL's end. Any failure (a filesystem without
// fallocate, a nearly full disk) leaves the writes to allocate as they
// go, as without it.
func (w *walSpace) reserve() {
	fi, err := os.Stat(w.path)
	if err != nil {
		return
	}
	size := fi.Size()
	if size < w.lastSize {
		// Cut back by the idle TRUNCATE:
		// the blocks past the new end went with it.
		w.reserved = size
	}
	ahead := max(walAheadMin, 2*(size-w.lastSize))
	w.lastSize = size
	if w.reserved-size >= ahead/2 {
		return
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(w.path, &st); err != nil || int64(st.Bavail)*int64(st.Bsize) < 4*ahead {
		return // a nearly full disk keeps its room for the writes themselves
	}
	f, err := os.OpenFile(w.path, os.O_RDWR, 0) // no O_CREATE: the WAL is SQLite's to make
	if err != nil {
		return
	}
	defer f.Close()
	const keepSize = 1 // FALLOC_FL_KEEP_SIZE
	if syscall.Fallocate(int(f.Fd()), keepSize, size, ahead) == nil {
		w.reserved = size + ahead
	}
}

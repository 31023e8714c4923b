package server

import (
	"database/sql"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"lapctl/spec"
)

// statusClientClosed is what the access log records for a request whose
// client went away before it was answered (nginx's 499): its write, if
// any, was rolled back.
const statusClientClosed = 499

// clientGone answers a request whose client left mid-way. A half-closed
// client may still read: it must learn that nothing was written, not get
// an empty 200.
func (s *Server) clientGone(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Info("client closed the request", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
	writeJSON(w, statusClientClosed, spec.ErrorBody{Error: spec.ErrorDetail{Type: spec.ErrInvalidRequest,
		Message: "the client closed the request before it was answered: nothing was changed; send it again"}})
}

// isDiskFull recognizes a full disk from SQLite (SQLITE_FULL) or the OS.
func isDiskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) && coded.Code()&0xff == 13 { // SQLITE_FULL
		return true
	}
	return strings.Contains(err.Error(), "database or disk is full")
}

// diskFull is the 507 a write gets on a full disk. The reserve is given
// up at once, so deletes (which free space) can still be written.
func (s *Server) diskFull(r *http.Request, err error) *apiError {
	s.store.reserve.release()
	s.log.Error("disk full", "request_id", requestID(r), "data_dir", s.dataDir, "err", err)
	return newAPIError(http.StatusInsufficientStorage, spec.ErrServer, "",
		"the disk holding the data dir %s is full: nothing was written; free space there (deleting sessions and agents still works)", s.dataDir)
}

// reserveBytes is held in a file in the data dir and freed when the disk
// fills up: SQLite needs room in its WAL even to delete.
const reserveBytes = 1 << 20

const reserveFile = "space.reserve"

// diskReserve is the data dir's reserve of free space.
type diskReserve struct {
	mu   sync.Mutex
	path string
}

func newDiskReserve(dataDir string) *diskReserve {
	d := &diskReserve{path: filepath.Join(dataDir, reserveFile)}
	d.refill()
	return d
}

// refill re-creates the reserve when the disk has room for it and more.
func (d *diskReserve) refill() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if fi, err := os.Stat(d.path); err == nil && fi.Size() == reserveBytes {
		return
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(d.path), &st); err != nil || int64(st.Bavail)*int64(st.Bsize) < 2*reserveBytes {
		return
	}
	f, err := os.OpenFile(d.path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	// Written, not truncated: a sparse file would reserve nothing.
	buf := make([]byte, 64<<10)
	for n := 0; n < reserveBytes; n += len(buf) {
		if _, err := f.Write(buf); err != nil {
			_ = os.Remove(d.path)
			return
		}
	}
}

func (d *diskReserve) release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	_ = os.Remove(d.path)
}

// freeing runs a delete. On a full disk it gives up the reserve and tries
// once more: a delete is how an operator gets space back. After a delete
// the reserve is put back if there is room again.
func (s *store) freeing(del func() (sql.Result, error)) (sql.Result, error) {
	res, err := del()
	if err != nil && isDiskFull(err) {
		s.reserve.release()
		res, err = del()
	}
	if err == nil {
		s.reserve.refill()
	}
	return res, err
}

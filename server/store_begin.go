package server

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The checkpointer's connection holds some of SQLite's WAL locks for
// moments, and a BEGIN IMMEDIATE that meets one waits in SQLite's busy
// handler, whose sleeps run 1, 2, 5, 10, 15, 20, 25 ms whatever the
// lock's holder does meanwhile: creates at 100,000 agents took 34, 54 and
// 80 ms that way, each a sum of those sleeps. So the writer begins with
// the handler off and tries again here in steps of tens of µs; its
// statements then run with the handler back on (nothing else writes, so
// they meet none).
const (
	writerBusyTimeout = 10 * time.Second
	beginRetryFirst   = 20 * time.Microsecond
	beginRetryMax     = 500 * time.Microsecond
)

// beginWrite begins a write transaction on the writer's connection,
// waiting up to writerBusyTimeout for a lock another connection holds.
func beginWrite(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(writerBusyTimeout)
	for wait := beginRetryFirst; ; wait = min(2*wait, beginRetryMax) {
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil {
			if _, err := tx.ExecContext(ctx, busyTimeoutPragma); err != nil {
				_ = tx.Rollback()
				return nil, err
			}
			return tx, nil
		}
		if !isBusy(err) || time.Now().After(deadline) {
			_, _ = conn.ExecContext(ctx, busyTimeoutPragma)
			return nil, err
		}
		time.Sleep(wait)
	}
}

// busyTimeoutPragma is the writer's usual busy timeout (its DSN's).
var busyTimeoutPragma = "PRAGMA busy_timeout = " + strconv.FormatInt(writerBusyTimeout.Milliseconds(), 10)

// isBusy reports SQLITE_BUSY in any of its extended forms.
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

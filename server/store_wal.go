package server

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointEvery is how often, at most, committed writes are copied from
// the WAL into the database file.
const checkpointEvery = 200 * time.Millisecond

// checkpointer copies the WAL into the database in the background, on its
// own connection. A PASSIVE checkpoint waits for no one: writers keep
// appending and readers keep reading while it runs, so its fsyncs never
// land inside a request (with the default autocheckpoint, the commit
// that crosses 1,000 pages pays for the whole copy).
type checkpointer struct {
	db    *sql.DB
	dirty atomic.Bool
	quit  chan struct{}
	done  sync.WaitGroup
	runs  atomic.Int64 // checkpoints run, for tests

	stopOnce sync.Once
	stopErr  error
}

func startCheckpointer(path, common string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+common)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	c := &checkpointer{db: db, quit: make(chan struct{})}
	c.done.Add(1)
	go c.loop()
	return c, nil
}

// wrote marks the WAL as holding frames to copy. Safe on nil (during
// migration there is no checkpointer yet).
func (c *checkpointer) wrote() {
	if c != nil {
		c.dirty.Store(true)
	}
}

func (c *checkpointer) loop() {
	defer c.done.Done()
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-tick.C:
			if c.dirty.Swap(false) {
				c.checkpoint("PASSIVE")
			}
		}
	}
}

func (c *checkpointer) checkpoint(mode string) {
	// The result row (busy, WAL frames, frames copied) needs no action: a
	// partial copy is finished by a later tick.
	var busy, logFrames, copied int
	_ = c.db.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &copied)
	c.runs.Add(1)
}

// stop ends the loop and copies what is left, so the database file is
// whole when the server exits.
func (c *checkpointer) stop() error {
	if c == nil {
		return nil
	}
	c.stopOnce.Do(func() {
		close(c.quit)
		c.done.Wait()
		c.checkpoint("TRUNCATE")
		c.stopErr = c.db.Close()
	})
	return c.stopErr
}

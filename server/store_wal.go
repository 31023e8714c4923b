package server

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointEvery is how often, at most, committed writes are copied from
// the WAL into the database file.
const checkpointEvery = 200 * time.Millisecond

// walMaxBytes is the WAL frames' size past which a checkpoint catches up
// with the writer held (a variable so tests can lower it). Creates wait
// for that pass, so the bound sets how often: see docs/server.md.
var walMaxBytes int64 = 256 << 20

// checkpointer copies the WAL into the database in the background, on its
// own connection. A PASSIVE checkpoint waits for no one: writers keep
// appending and readers keep reading while it runs, so its fsyncs never
// land inside a request (with the default autocheckpoint, the commit
// that crosses 1,000 pages pays for the whole copy).
//
// The WAL is only rewound from its start by a write that finds every
// frame copied, which a steady stream of writes never does (each lands
// during the copy). So the WAL is kept bounded two ways: past
// walMaxBytes of frames, a second pass runs with the writer held,
// copying only what came in during the first (the next write then
// rewinds the WAL, over the blocks the file already has); and once
// writes pause, a TRUNCATE checkpoint empties the file. Neither waits
// for a reader: it gives up until the next tick instead. Nothing else
// cuts the file: a commit that trims it (journal_size_limit) frees its
// blocks inside the request. Before each pass the checkpointer keeps
// disk space allocated ahead of the WAL's end (walSpace), so commits
// never wait for its fsync to allocate.
type checkpointer struct {
	db         *sql.DB
	path       string                 // the WAL file
	holdWriter func() (func(), error) // takes the store's writer until released
	dirty      atomic.Bool
	quit       chan struct{}
	done       sync.WaitGroup
	runs       atomic.Int64 // checkpoints run, for tests
	caughtUp   atomic.Int64 // passes with the writer held, for tests
	settled    atomic.Bool  // the WAL is empty and no checkpoint is running (only the loop writes it)
	space      *walSpace    // only the loop uses it
	frameBytes int64        // the WAL's bytes per frame

	stopOnce sync.Once
	stopErr  error
}

func startCheckpointer(path, common string, holdWriter func() (func(), error)) (*checkpointer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+common)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	// A frame is a page and its 24-byte header.
	pageSize := 4096
	if err := db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		db.Close()
		return nil, err
	}
	wal := path + "-wal"
	c := &checkpointer{db: db, path: wal, holdWriter: holdWriter, quit: make(chan struct{}),
		space: &walSpace{path: wal}, frameBytes: int64(pageSize) + 24}
	c.settled.Store(true) // nothing written yet this run
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
		}
		switch {
		case c.dirty.Swap(false):
			c.settled.Store(false)
			c.space.reserve()
			// Frames, not the file's size: the file is cut only when
			// idle, so after a rewind its size says nothing of what is
			// in it.
			if frames, _ := c.checkpoint("PASSIVE", 0); int64(frames)*c.frameBytes > walMaxBytes {
				c.catchUp()
			}
		case !c.settled.Load():
			// A tick without writes: the writer is idle. The TRUNCATE
			// (which takes the write lock) runs only once a PASSIVE has
			// copied everything, so it has nothing left to copy and
			// holds the lock only to empty the file.
			c.settled.Store(c.copiedAll("PASSIVE") && c.copiedAll("TRUNCATE") && c.walSize() == 0)
		}
	}
}

// catchUp copies the frames written since the last pass with the writer
// held, so none land during the copy and the next write rewinds the WAL.
func (c *checkpointer) catchUp() {
	release, err := c.holdWriter()
	if err != nil {
		return // the store is closing
	}
	defer release()
	c.checkpoint("PASSIVE", 0)
	c.caughtUp.Add(1)
}

func (c *checkpointer) walSize() int64 {
	fi, err := os.Stat(c.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// copiedAll runs a checkpoint that waits for no one and reports whether
// it copied every frame.
func (c *checkpointer) copiedAll(mode string) bool {
	_, complete := c.checkpoint(mode, 0)
	return complete
}

// checkpoint runs one checkpoint, waiting up to busyMs for readers and
// writers (PASSIVE never waits). It reports the frames in the WAL (since
// it was last rewound) and whether it copied every one.
func (c *checkpointer) checkpoint(mode string, busyMs int) (frames int, complete bool) {
	ctx := context.Background()
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return 0, false
	}
	defer conn.Close()
	// PRAGMA takes no bound parameters; busyMs is our own integer.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busyMs)); err != nil {
		return 0, false
	}
	// The result row: busy (1 when it gave up), WAL frames, frames copied.
	// A partial copy needs no action: a later tick finishes it.
	var busy, logFrames, copied int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &copied)
	c.runs.Add(1)
	if err != nil {
		return 0, false
	}
	return logFrames, busy == 0 && copied == logFrames
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
		c.checkpoint("TRUNCATE", 10_000)
		c.stopErr = c.db.Close()
	})
	return c.stopErr
}

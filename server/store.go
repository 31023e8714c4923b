package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// dbFile is the SQLite database inside the data dir.
const dbFile = "lapctl.db"

// errNotFound is returned by the store when a row does not exist; handlers
// turn it into a 404 naming what was missing.
var errNotFound = errors.New("not found")

// store is the SQLite persistence of agents, skills, sessions and messages.
//
// SQLite allows one writer at a time. Rather than let concurrent writers
// race for the lock and surface SQLITE_BUSY, every write goes through a
// pool of exactly one connection (w), so database/sql queues writers in Go;
// its transactions BEGIN IMMEDIATE, taking the write lock up front. Reads
// use a separate pool (r) that WAL lets run alongside the writer.
type store struct {
	w, r    *sql.DB
	sealer  *sealer
	reserve *diskReserve // free space kept back so deletes work on a full disk
	tokens  liveTokens   // tty tokens of this run's sessions (stored hashed)
	pages   pageKeys
	agents  agentCache // listed agents by id and rev
	ckpt    *checkpointer

	wStmts, rStmts *stmtCache // prepared statements of w and r
	creates        *createQueue
}

func openStore(dataDir string, sealer *sealer) (*store, error) {
	path := filepath.Join(dataDir, dbFile)
	// SQLite gives the -wal and -shm files the main file's mode, so
	// creating it 0600 first keeps all three private.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	const common = "_busy_timeout=10000&_foreign_keys=1&_journal_mode=WAL&_synchronous=NORMAL"
	// The writer never checkpoints on commit (wal_autocheckpoint 0) and
	// never trims the WAL (no journal_size_limit): the checkpointer does
	// both in the background, off the request path (store_wal.go).
	w, err := sql.Open("sqlite", "file:"+path+"?"+common+"&_txlock=immediate"+
		"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &store{w: w, sealer: sealer, reserve: newDiskReserve(dataDir), wStmts: newStmtCache(w)}
	if err := s.migrate(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	// The reader pool opens only after migrating, so it never sees a
	// half-made schema; _query_only makes a stray write through it fail
	// loudly instead of contending with the writer.
	r, err := sql.Open("sqlite", "file:"+path+"?"+common+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, err
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	s.r = r
	s.rStmts = newStmtCache(r)
	ckpt, err := startCheckpointer(path, common, func() (func(), error) {
		conn, err := w.Conn(context.Background())
		if err != nil {
			return nil, err
		}
		return func() { _ = conn.Close() }, nil
	})
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	s.ckpt = ckpt
	s.startCreates()
	return s, nil
}

func (s *store) close() error {
	s.creates.stop()
	return errors.Join(s.ckpt.stop(), s.rStmts.close(), s.r.Close(), s.wStmts.close(), s.w.Close())
}

// cached wraps a write transaction so its queries use prepared statements.
func (s *store) cached(tx *sql.Tx) cachedTx { return cachedTx{tx: tx, stmts: s.wStmts} }

// readTx begins a read transaction (one snapshot) whose queries use the
// reader pool's prepared statements.
func (s *store) readTx(ctx context.Context) (cachedTx, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	return cachedTx{tx: tx, stmts: s.rStmts}, err
}

// inTx runs fn in one write transaction: committed when fn returns nil,
// rolled back (leaving nothing half-made) otherwise.
//
// Only the wait for the writer follows ctx. Once begun, the transaction
// runs to its end under a context that is never cancelled (it is short:
// SQL and the caller's in-memory edit): database/sql rolls a transaction
// back by itself when its context ends, so a request cancelled between
// its last statement and Commit would otherwise meet its own transaction
// gone ("transaction has already been committed or rolled back") and
// answer 500.
func (s *store) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return s.txOn(conn, fn)
}

// txOn runs fn in one write transaction on conn, the writer's connection
// already taken (see inTx).
func (s *store) txOn(conn *sql.Conn, fn func(ctx context.Context, tx *sql.Tx) error) error {
	txCtx := context.Background()
	tx, err := beginWrite(txCtx, conn)
	if err != nil {
		return err
	}
	// fn's statements run under txCtx too: an interrupt half-way would
	// leave SQLite's transaction rolled back under database/sql's feet.
	if err := fn(txCtx, tx); err != nil {
		_ = tx.Rollback() // the error from fn is the one worth reporting
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.ckpt.wrote()
	return nil
}

// exec runs one write statement outside a transaction of ours.
func (s *store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := s.w.ExecContext(ctx, query, args...)
	if err == nil {
		s.ckpt.wrote()
	}
	return res, err
}

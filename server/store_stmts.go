package server

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStmts bounds a pool's prepared statements. The store's queries
// are a fixed set of texts (a few dozen); past the bound a query runs
// unprepared, as it would without the cache.
const maxCachedStmts = 256

// stmtCache prepares each query text once per pool: parsing and planning
// a statement costs about as much as running a page query, and
// database/sql otherwise prepares and finalizes on every call.
//
// A cached statement belongs to the pool (*sql.DB), never to one
// transaction: transactions use it through tx.StmtContext, which reuses
// what its connection has prepared and whose copy ends with the
// transaction. close finalizes the statements before the pool closes.
//
// A query not cached yet runs unprepared while a goroutine prepares it
// on the pool. Preparing on the pool takes a connection of its own, so
// doing it inline, from inside a transaction, would wait on itself (the
// writer has one connection) or on the other readers.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	m       map[string]*sql.Stmt // nil once closed
	pending map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt), pending: make(map[string]bool)}
}

// prepared returns query's statement, or nil when it is not prepared yet
// (or the cache is full or closed): the caller then runs it unprepared.
func (c *stmtCache) prepared(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok || c.m == nil || len(c.m)+len(c.pending) >= maxCachedStmts || c.pending[query] {
		return st
	}
	c.pending[query] = true
	go c.prepare(query)
	return nil
}

func (c *stmtCache) prepare(query string) {
	st, err := c.db.PrepareContext(context.Background(), query)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, query)
	if err != nil {
		// It fails again unprepared, where the caller sees why; a query
		// that cannot be prepared is not cached, nor retried forever.
		if c.m != nil {
			c.m[query] = nil
		}
		return
	}
	if c.m == nil {
		_ = st.Close()
		return
	}
	c.m[query] = st
}

// close finalizes every statement, so the pool can close with none left
// open on its connections. A prepare still under way finalizes its own
// (or fails, the pool being closed).
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.m {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	c.m = nil
	return errors.Join(errs...)
}

// cachedTx is a transaction whose queries use its pool's prepared
// statements. It is a querier, so loaders take it or a plain *sql.Tx.
type cachedTx struct {
	tx    *sql.Tx
	stmts *stmtCache
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmts.prepared(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmts.prepared(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmts.prepared(query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

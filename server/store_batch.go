package server

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Creates are committed in groups. Most of a create's cost is its commit
// (a dozen WAL frames written one pwrite at a time, and a new FTS
// segment), and concurrent creates touch the same pages, so one
// transaction for the creates queued meanwhile costs little more than one
// for a single create. Each create is answered once its group commits.
//
// A create is taken into a group only once the group holds the writer:
// until then it is only waiting its turn, and a request cancelled then
// leaves (499) with nothing written, as a lone transaction would.

// maxGroup bounds the creates of one transaction, and maxGroupBytes what
// their file and env contents add up to (one create is always taken).
const (
	maxGroup      = 32
	maxGroupBytes = 8 << 20
)

// errStoreClosed answers a create that arrives as the store closes.
var errStoreClosed = errors.New("store is closed")

const (
	jobQueued int32 = iota
	jobTaken
	jobCancelled
)

type createJob struct {
	rec   *agentRecord
	state atomic.Int32
	done  chan error // buffered: the committer never waits on a caller
}

// createQueue holds the creates waiting for the writer, and runs the one
// goroutine that commits them.
type createQueue struct {
	mu        sync.Mutex
	jobs      []*createJob
	closed    bool
	wake      chan struct{}
	quit      chan struct{}
	recent    groupSizes    // written by the committer only: no lock
	gatherFor time.Duration // gatherFor, but for tests
	done      sync.WaitGroup
}

func (s *store) startCreates() {
	s.creates = &createQueue{wake: make(chan struct{}, 1), quit: make(chan struct{}), gatherFor: gatherFor}
	s.creates.done.Add(1)
	go s.commitCreates()
}

// createAgent writes an agent and all its parts, in a group transaction
// with the other creates queued at the time.
func (s *store) createAgent(ctx context.Context, a *agentRecord) error {
	job := &createJob{rec: a, done: make(chan error, 1)}
	if err := s.creates.push(job); err != nil {
		return err
	}
	select {
	case err := <-job.done:
		return err
	case <-ctx.Done():
		if job.state.CompareAndSwap(jobQueued, jobCancelled) {
			return ctx.Err()
		}
		// Taken: it is being written and will be answered as it ends.
		return <-job.done
	}
}

// push queues a create and wakes the committer.
func (q *createQueue) push(job *createJob) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return errStoreClosed
	}
	q.jobs = append(q.jobs, job)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
	return nil
}

func (s *store) commitCreates() {
	q := s.creates
	defer q.done.Done()
	for {
		select {
		case <-q.quit:
			return
		case <-q.wake:
		}
		for s.commitGroup() {
		}
	}
}

// commitGroup waits for the writer, takes the creates still queued (up to
// a group's bounds) and writes them in one transaction. It reports
// whether more are queued.
func (s *store) commitGroup() bool {
	q := s.creates
	q.gather()
	conn, err := s.w.Conn(context.Background())
	if err != nil {
		// The pool is closed: nothing can be written any more.
		for _, job := range q.take() {
			job.done <- err
		}
		return false
	}
	defer conn.Close()
	group := q.take()
	if len(group) == 0 {
		return q.pending()
	}
	q.recent.record(len(group))
	errs := make([]error, len(group))
	err = s.txOn(conn, func(ctx context.Context, tx *sql.Tx) error {
		ctq := s.cached(tx)
		for i, job := range group {
			// A create whose skills are refused is answered so; it has
			// written nothing, and the others go on.
			if errs[i] = checkSkillsOwned(ctx, ctq, job.rec.OwnerID, job.rec.SkillIDs); errs[i] != nil {
				continue
			}
			if err := s.insertAgent(ctx, ctq, job.rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(group) > 1 {
		// A failed write rolled the whole group back. Each create is
		// tried again alone, so only the one at fault fails.
		for i, job := range group {
			errs[i] = s.txOn(conn, func(ctx context.Context, tx *sql.Tx) error {
				ctq := s.cached(tx)
				if err := checkSkillsOwned(ctx, ctq, job.rec.OwnerID, job.rec.SkillIDs); err != nil {
					return err
				}
				return s.insertAgent(ctx, ctq, job.rec)
			})
		}
	} else if err != nil {
		errs[0] = err
	}
	for i, job := range group {
		job.done <- errs[i]
	}
	return q.pending()
}

// take removes the creates of the next group from the queue, skipping
// those whose requests have left.
func (q *createQueue) take() []*createJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	var group []*createJob
	bytes := 0
	n := 0
	for _, job := range q.jobs {
		if len(group) > 0 && (len(group) == maxGroup || bytes+job.rec.contentBytes() > maxGroupBytes) {
			break
		}
		n++
		if !job.state.CompareAndSwap(jobQueued, jobTaken) {
			continue
		}
		group = append(group, job)
		bytes += job.rec.contentBytes()
	}
	q.jobs = append(q.jobs[:0], q.jobs[n:]...)
	return group
}

func (q *createQueue) pending() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs) > 0
}

// stop ends the committer and refuses new creates; one still queued (the
// HTTP server has stopped, so there should be none) is answered with
// errStoreClosed rather than left waiting.
func (q *createQueue) stop() {
	if q == nil {
		return
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	q.mu.Unlock()
	close(q.quit)
	q.done.Wait()
	q.mu.Lock()
	jobs := q.jobs
	q.jobs = nil
	q.mu.Unlock()
	for _, job := range jobs {
		if job.state.CompareAndSwap(jobQueued, jobTaken) {
			job.done <- errStoreClosed
		}
	}
}

// contentBytes is roughly what an agent's file and env contents weigh.
func (a *agentRecord) contentBytes() int {
	n := 0
	for _, f := range a.SandboxFiles {
		n += len(f.Content)
	}
	for k, v := range a.EnvVars {
		n += len(k) + len(v)
	}
	return n
}

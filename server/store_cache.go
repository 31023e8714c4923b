package server

import "sync"

// agentCache keeps recently listed agents, each as read at its rev, so a
// page whose agents have not changed (the console's refresh, a second
// operator on the same page) reads four columns per agent instead of
// every column and every part. rev is bumped by every UPDATE of the
// agent's row, in the transaction that changes the row or its parts, so
// an entry whose rev matches the row's in the reader's snapshot is that
// snapshot's agent. Entries hold secrets as they are at rest (env values
// and a credentialed repo URL sealed); each response opens its own copy.
//
// Two generations bound it: lookups promote from prev to cur, and when
// cur is full it becomes prev and the older generation is dropped.
type agentCache struct {
	mu        sync.Mutex
	cur, prev map[string]cachedAgent
}

type cachedAgent struct {
	rev int64
	rec *agentRecord // never modified once cached
}

// agentCacheGeneration is how many agents a generation holds: the
// cache holds up to twice as many, about 1.5 KiB each.
const agentCacheGeneration = 2048

// get returns the cached agent id at rev, or nil.
func (c *agentCache) get(id string, rev int64) *agentRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cur[id]
	if !ok {
		if e, ok = c.prev[id]; ok {
			c.putLocked(id, e)
		}
	}
	if !ok || e.rev != rev {
		return nil
	}
	return e.rec
}

func (c *agentCache) put(id string, rev int64, rec *agentRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(id, cachedAgent{rev: rev, rec: rec})
}

func (c *agentCache) putLocked(id string, e cachedAgent) {
	if c.cur == nil || len(c.cur) >= agentCacheGeneration {
		c.prev, c.cur = c.cur, make(map[string]cachedAgent, agentCacheGeneration)
	}
	c.cur[id] = e
}

package ptyattach

import (
	"sync"
	"time"
)

// singleKeyGrace is how long a one-key detach sequence waits for the same
// key again (which sends it through) before it detaches.
const singleKeyGrace = 250 * time.Millisecond

// escaper is the escape proxy: it watches keystrokes for the detach
// sequence, holding back a partial match, and forwards everything else.
//
// Pressing the first key twice sends it through once, so the sequence's
// keys stay usable in the remote program. For a one-key sequence that
// means the key cannot detach at once: it waits singleKeyGrace for a
// second press, and detaches when none (or another key) comes.
type escaper struct {
	keys  []byte
	grace time.Duration
	// onDetach is called when the grace timer detaches; feed reports its
	// own detach so the bytes before the sequence go out first.
	onDetach func()

	mu       sync.Mutex
	matched  int // keys[:matched] have been typed and held back
	pending  *time.Timer
	gen      int // tells a stale grace timer from the current one
	detached bool
}

func newEscaper(keys []byte, grace time.Duration, onDetach func()) *escaper {
	return &escaper{keys: keys, grace: grace, onDetach: onDetach}
}

// feed appends to dst the bytes of p to forward and returns it, and
// whether the sequence is complete; the rest of p is then dropped.
func (e *escaper) feed(dst, p []byte) ([]byte, bool) {
	if len(e.keys) == 0 {
		return append(dst, p...), false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := 0; i < len(p); i++ {
		if e.detached {
			return dst, true
		}
		b := p[i]
		if e.pending != nil {
			// A one-key sequence was typed and waits for a second press.
			e.pending.Stop()
			e.pending = nil
			e.matched = 0
			if b == e.keys[0] {
				dst = append(dst, b)
				continue
			}
			e.detached = true
			return dst, true
		}
		switch {
		case b == e.keys[e.matched]:
			e.matched++
		case e.matched == 1 && b == e.keys[0]:
			dst = append(dst, b)
			e.matched = 0
			continue
		case e.matched > 0:
			dst = append(dst, e.keys[:e.matched]...)
			e.matched = 0
			i-- // b may start the sequence afresh
			continue
		default:
			dst = append(dst, b)
			continue
		}
		if e.matched < len(e.keys) {
			continue
		}
		if len(e.keys) == 1 {
			e.gen++
			gen := e.gen
			e.pending = time.AfterFunc(e.grace, func() { e.expire(gen) })
			continue
		}
		e.detached = true
		return dst, true
	}
	return dst, e.detached
}

func (e *escaper) expire(gen int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pending == nil || gen != e.gen || e.detached {
		return
	}
	e.pending = nil
	e.detached = true
	e.onDetach()
}

// stop cancels a pending grace timer.
func (e *escaper) stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pending != nil {
		e.pending.Stop()
		e.pending = nil
	}
}

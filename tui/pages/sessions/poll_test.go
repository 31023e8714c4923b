package sessions

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPollBackoff: failures double the delay up to the cap, a success
// resets it, and a superseded or paused chain stops.
func TestPollBackoff(t *testing.T) {
	p := newPoller(time.Second)
	p.active = true
	p.refresh(context.Background(), nil)
	fail := ListMsg{Gen: p.gen, Err: errors.New("down")}
	var delays []time.Duration
	for range 7 {
		p.inflight = true
		ok, next := p.done(fail)
		if !ok || next == nil {
			t.Fatal("a failed poll did not schedule the next")
		}
		delays = append(delays, p.delay)
	}
	want := []time.Duration{2, 4, 8, 16, 30, 30, 30}
	for i, d := range delays {
		if d != want[i]*time.Second {
			t.Fatalf("delays = %v, want %v seconds", delays, want)
		}
	}
	p.done(ListMsg{Gen: p.gen})
	if p.delay != time.Second {
		t.Fatalf("delay after success = %s", p.delay)
	}

	old := p.gen
	p.refresh(context.Background(), nil)
	if ok, _ := p.done(ListMsg{Gen: old}); ok {
		t.Fatal("a superseded chain's result was taken")
	}
	if p.tick(context.Background(), nil, PollMsg{Gen: old}) != nil {
		t.Fatal("a superseded chain's tick fetched")
	}

	p.attached = true
	if _, next := p.done(ListMsg{Gen: p.gen}); next != nil {
		t.Fatal("polling went on while attached")
	}
	if p.tick(context.Background(), nil, PollMsg{Gen: p.gen}) != nil {
		t.Fatal("a tick fetched while attached")
	}
}

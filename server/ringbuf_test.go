package server

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestRingBufferMatchesTheTailOfAllOutput writes random-sized chunks and
// compares the ring with the last size bytes of everything written.
func TestRingBufferMatchesTheTailOfAllOutput(t *testing.T) {
	t.Parallel()
	const size = 64
	r := newRingBuffer(size)
	var all []byte
	for i := range 2000 {
		chunk := bytes.Repeat([]byte{byte('a' + i%26)}, rand.IntN(size*2))
		r.Write(chunk)
		all = append(all, chunk...)
		want := all[max(0, len(all)-size):]
		if got := r.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("after %d writes: %q, want %q", i+1, got, want)
		}
	}
}

// TestRingBufferGrowsWithItsOutput: a quiet session does not hold the
// whole replay buffer.
func TestRingBufferGrowsWithItsOutput(t *testing.T) {
	t.Parallel()
	r := newRingBuffer(replayBytes)
	r.Write([]byte("$ "))
	if cap(r.buf) >= replayBytes/2 {
		t.Fatalf("2 bytes of output hold %d bytes", cap(r.buf))
	}
}

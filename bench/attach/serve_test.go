package main

import (
	"strings"
	"testing"
)

// The memory run's clients must see the marker however the stream is cut
// into reads, and must not see it where it is not.
func TestMarkerIsFoundAcrossReads(t *testing.T) {
	const marker = "STREAMXDONE"
	stream := strings.Repeat("a", 40) + marker + "tail"
	for _, size := range []int{1, 2, 3, 5, 7, 11, 64} {
		for first := range size {
			var tail []byte
			found := false
			for rest, i := stream, 0; len(rest) > 0 && !found; i++ {
				n := min(len(rest), size)
				if i == 0 {
					n = min(len(rest), first+1)
				}
				found = containsAcross(tail, []byte(rest[:n]), []byte(marker))
				tail = keepLast(tail, []byte(rest[:n]), len(marker)-1)
				rest = rest[n:]
			}
			if !found {
				t.Fatalf("reads of %d bytes (the first %d): marker not found", size, first+1)
			}
		}
	}
	// The command's own echo spells it with quotes inside.
	var tail []byte
	for _, piece := range []string{`echo STREAMX`, `""DO`, `NE`} {
		if containsAcross(tail, []byte(piece), []byte(marker)) {
			t.Fatalf("found the marker in the echoed command")
		}
		tail = keepLast(tail, []byte(piece), len(marker)-1)
	}
}

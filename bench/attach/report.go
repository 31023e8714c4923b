package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"lapctl/bench/ptybench"
)

// Goals of the attach: throughput at least 0.9× a local pty, echo p99
// within 0.5 ms of it.
const (
	goalRatio = 0.9
	goalP99   = 500 * time.Microsecond
)

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISS"
}

// report prints the table and says whether the goals were met.
func report(w io.Writer, size int64, keys, rounds int, lt, rt float64, ld, rd []time.Duration) bool {
	ratio := rt / lt
	lp50, lp99 := ptybench.Percentile(ld, 50), ptybench.Percentile(ld, 99)
	rp50, rp99 := ptybench.Percentile(rd, 50), ptybench.Percentile(rd, 99)
	okT, okL := ratio >= goalRatio, rp99-lp99 <= goalP99
	fmt.Fprintf(w, "lapctl attach vs a local pty: same shell, same run; %d rounds, %d MiB of output, %d keys each\n\n", rounds, size>>20, keys)
	fmt.Fprintf(w, "%-22s %12s %14s %14s  %s\n", "", "local pty", "lapctl attach", "attach/local", "goal")
	fmt.Fprintf(w, "%-22s %12.1f %14.1f %13.2f×  ≥ %.2f× %s\n", "throughput (MB/s)", lt/1e6, rt/1e6, ratio, goalRatio, verdict(okT))
	fmt.Fprintf(w, "%-22s %12.0f %14.0f %+13.0f\n", "echo p50 (µs)", us(lp50), us(rp50), us(rp50-lp50))
	fmt.Fprintf(w, "%-22s %12.0f %14.0f %+13.0f   ≤ %+.0f %s\n", "echo p99 (µs)", us(lp99), us(rp99), us(rp99-lp99), us(goalP99), verdict(okL))
	return okT && okL
}

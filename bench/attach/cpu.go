package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuTime is the CPU a process's threads have run so far, in ns, summed
// from /proc/PID/task/*/schedstat (Linux only; zero elsewhere). Not
// /proc/PID/stat: its ticks of 10 ms made a keystroke's ~100 µs a
// multiple of 10 µs over 1,000 keys. A thread that exits takes its time
// with it, which none of the measured processes' threads do mid-run.
func cpuTime(pid int) time.Duration {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var total time.Duration
	for _, path := range tasks {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // the thread is gone
		}
		// Fields: time on CPU (ns), time waiting for it, timeslices run.
		f := strings.Fields(string(b))
		if len(f) == 0 {
			continue
		}
		ns, _ := strconv.ParseInt(f[0], 10, 64)
		total += time.Duration(ns)
	}
	return total
}

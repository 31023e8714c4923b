package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// cpuTime is the user+system CPU a process has used so far, read from
// /proc (Linux only; zero elsewhere).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start at ')'.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	// WARNING: assumes USER_HZ = 100, true on every Linux build Go targets.
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// machineTicks is the machine's busy and total CPU ticks so far, summed
// over every core, from /proc/stat (Linux only; zeros elsewhere). Two
// readings give how many cores a run kept busy: the local pty can only
// be beaten by so much when it already fills the machine.
func machineTicks() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 8 || f[0] != "cpu" {
		return 0, 0
	}
	for i, s := range f[1:] {
		v, _ := strconv.ParseInt(s, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle and iowait are not work
			busy += v
		}
	}
	return busy, total
}

// coresBusy is how many cores were busy between two machineTicks readings.
func coresBusy(b0, t0, b1, t1 int64) float64 {
	if t1 <= t0 {
		return 0
	}
	return float64(b1-b0) / float64(t1-t0) * float64(runtime.NumCPU())
}

// Package cpustat reads the machine's CPU time split from /proc/stat, so
// a benchmark can say how busy the machine was and how much of its time
// the hypervisor took (steal): on a shared VM a tail latency can be the
// neighbours', and a figure should say so beside itself.
//
// It is a leaf: it imports nothing of lapctl.
package cpustat

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Sample is the ticks of every core so far.
type Sample struct {
	Busy  int64 // doing work of this machine (idle, iowait and steal aside)
	Steal int64 // runnable, but the hypervisor ran someone else
	Total int64
}

// Now reads /proc/stat (Linux only; a zero Sample elsewhere).
func Now() Sample {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return Sample{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return parse(line)
}

// parse reads the aggregate line: cpu user nice system idle iowait irq
// softirq steal [guest guest_nice], guest time being already in user.
func parse(line string) Sample {
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return Sample{}
	}
	var s Sample
	for i, field := range f[1:min(len(f), 9)] {
		v, _ := strconv.ParseInt(field, 10, 64)
		s.Total += v
		switch i {
		case 3, 4: // idle, iowait
		case 7:
			s.Steal += v
		default:
			s.Busy += v
		}
	}
	return s
}

// CoresBusy is how many cores did this machine's work between two samples.
func CoresBusy(from, to Sample) float64 {
	if to.Total <= from.Total {
		return 0
	}
	return float64(to.Busy-from.Busy) / float64(to.Total-from.Total) * float64(runtime.NumCPU())
}

// StealPercent is the share of CPU time the hypervisor took between two
// samples, in percent.
func StealPercent(from, to Sample) float64 {
	if to.Total <= from.Total {
		return 0
	}
	return 100 * float64(to.Steal-from.Steal) / float64(to.Total-from.Total)
}

package cpustat

import (
	"runtime"
	"testing"
)

func TestParseSplitsBusyIdleAndSteal(t *testing.T) {
	// user nice system idle iowait irq softirq steal guest guest_nice
	got := parse("cpu  100 5 20 700 10 1 4 60 30 0")
	want := Sample{Busy: 130, Steal: 60, Total: 900}
	if got != want {
		t.Fatalf("parse = %+v, want %+v (guest time is already in user)", got, want)
	}
	if s := parse("intr 1 2 3"); s != (Sample{}) {
		t.Fatalf("a line that is not the cpu total gave %+v", s)
	}
}

func TestSharesBetweenSamples(t *testing.T) {
	from := Sample{Busy: 100, Steal: 10, Total: 1000}
	to := Sample{Busy: 400, Steal: 110, Total: 2000}
	if got := StealPercent(from, to); got != 10 {
		t.Fatalf("StealPercent = %v, want 10", got)
	}
	want := 0.3 * float64(runtime.NumCPU())
	if got := CoresBusy(from, to); got < want-1e-9 || got > want+1e-9 {
		t.Fatalf("CoresBusy = %v, want %v", got, want)
	}
	if StealPercent(to, from) != 0 || CoresBusy(to, to) != 0 {
		t.Fatal("no time between samples must give zero, not a division by zero")
	}
}

func TestNowReadsThisMachine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/stat is Linux's")
	}
	if s := Now(); s.Total <= 0 || s.Busy <= 0 {
		t.Fatalf("Now() = %+v: no ticks read from /proc/stat", s)
	}
}

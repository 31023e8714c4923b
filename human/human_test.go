package human

import (
	"testing"
	"time"
)

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{
		-1: "0 B", 0: "0 B", 8: "8 B", 1023: "1023 B", 1024: "1.0 KiB", 262144: "256 KiB",
		1 << 20: "1.0 MiB", 10 << 20: "10 MiB", 1048577: "1.0 MiB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	if got := Count(16384); got != "16,384" {
		t.Errorf("Count(16384) = %q", got)
	}
	if got := Count(int64(10485760)); got != "10,485,760" {
		t.Errorf("Count(10485760) = %q", got)
	}
}

func TestRelative(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		0: "just now", 30 * time.Second: "just now", -30 * time.Second: "just now",
		time.Minute: "1 minute ago", 3 * time.Minute: "3 minutes ago", time.Hour: "1 hour ago",
		5 * time.Hour: "5 hours ago", day: "1 day ago", 3 * day: "3 days ago", 45 * day: "1 month ago",
		90 * day: "3 months ago", 400 * day: "1 year ago", 800 * day: "2 years ago",
		-2 * day: "in 2 days", -3 * time.Minute: "in 3 minutes",
	} {
		if got := Relative(now.Add(-d), now); got != want {
			t.Errorf("Relative(now-%v) = %q, want %q", d, got, want)
		}
	}
	if got := Relative(time.Time{}, now); got != "-" {
		t.Errorf("Relative(zero) = %q", got)
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		10 * time.Second: "just now", 5 * time.Minute: "5m ago", 3 * time.Hour: "3h ago",
		12 * day: "12d ago", 59 * day: "59d ago", 61 * day: "2026-04-01",
	} {
		if got := Ago(now.Add(-d), now); got != want {
			t.Errorf("Ago(now-%v) = %q, want %q", d, got, want)
		}
	}
}

package output

import (
	"testing"
	"time"
)

func TestRelative(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	ms := func(d time.Duration) int64 { return now.Add(-d).UnixMilli() }
	for _, tc := range []struct {
		ms   int64
		want string
	}{
		{0, "-"},
		{ms(10 * time.Second), "just now"},
		{ms(time.Minute), "1 minute ago"},
		{ms(59 * time.Minute), "59 minutes ago"},
		{ms(5 * time.Hour), "5 hours ago"},
		{ms(3 * 24 * time.Hour), "3 days ago"},
		{ms(65 * 24 * time.Hour), "2 months ago"},
		{ms(800 * 24 * time.Hour), "2 years ago"},
		{ms(-2 * time.Hour), "in 2 hours"},
	} {
		if got := Relative(tc.ms, now); got != tc.want {
			t.Errorf("Relative(%v ago) = %q, want %q", now.Sub(FromMillis(tc.ms)), got, tc.want)
		}
	}
	if got := Timestamp(now.UnixMilli()); got != "2026-05-01T12:00:00Z" {
		t.Errorf("Timestamp = %q", got)
	}
	if Timestamp(0) != "" {
		t.Error("Timestamp(0) should be empty")
	}
}

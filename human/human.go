// Package human formats sizes, counts and times for people, the same way
// in the command line and the console (both import it): sizes in binary
// (IEC) units, as the platform's limits are (10 MiB is 10,485,760 bytes),
// counts with thousands separators, times relative to a clock the caller
// passes. It wraps github.com/dustin/go-humanize and imports no lapctl
// package and no UI library.
package human

import (
	"math"
	"time"

	"github.com/dustin/go-humanize"
)

// Bytes is a byte count in IEC units: "512 B", "256 KiB", "1.0 MiB",
// "10 MiB". A negative count is shown as 0 B.
func Bytes(n int64) string {
	return humanize.IBytes(uint64(max(n, 0)))
}

// Count is n with thousands separators: "16,384".
func Count[T ~int | ~int64](n T) string {
	return humanize.Comma(int64(n))
}

const day = 24 * time.Hour

// long are the command line's magnitudes: "3 minutes", "1 day".
var long = []humanize.RelTimeMagnitude{
	{D: 2 * time.Minute, Format: "1 minute %s", DivBy: 1},
	{D: time.Hour, Format: "%d minutes %s", DivBy: time.Minute},
	{D: 2 * time.Hour, Format: "1 hour %s", DivBy: 1},
	{D: day, Format: "%d hours %s", DivBy: time.Hour},
	{D: 2 * day, Format: "1 day %s", DivBy: 1},
	{D: 30 * day, Format: "%d days %s", DivBy: day},
	{D: 60 * day, Format: "1 month %s", DivBy: 1},
	{D: 365 * day, Format: "%d months %s", DivBy: 30 * day},
	{D: 2 * 365 * day, Format: "1 year %s", DivBy: 1},
	{D: math.MaxInt64, Format: "%d years %s", DivBy: 365 * day},
}

// short are the console's magnitudes, for narrow columns: "3m", "2d".
var short = []humanize.RelTimeMagnitude{
	{D: time.Hour, Format: "%dm %s", DivBy: time.Minute},
	{D: day, Format: "%dh %s", DivBy: time.Hour},
	{D: math.MaxInt64, Format: "%dd %s", DivBy: day},
}

// Relative is t relative to now in words: "just now", "3 minutes ago",
// "in 2 days"; "-" for the zero time.
func Relative(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d > -time.Minute && d < time.Minute:
		return "just now"
	case d < 0:
		return "in " + humanize.CustomRelTime(now, t, "", "", long)
	}
	return humanize.CustomRelTime(t, now, "ago", "", long)
}

// Ago is a past time relative to now, coarsely (minutes and up, so a
// screen does not churn every second) and briefly: "just now", "5m ago",
// "3h ago", "12d ago", then the date past 60 days; "-" for the zero time.
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d >= 60*day:
		return t.UTC().Format("2006-01-02")
	}
	return humanize.CustomRelTime(t, now, "ago", "", short)
}

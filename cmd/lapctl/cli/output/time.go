package output

import (
	"fmt"
	"time"
)

// FromMillis turns the API's Unix milliseconds into a time; 0 is the
// zero time (a field the server left out).
func FromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Timestamp formats ms as RFC 3339 in UTC for scripts; "" when unset.
func Timestamp(ms int64) string {
	if ms == 0 {
		return ""
	}
	return FromMillis(ms).UTC().Format(time.RFC3339)
}

// Relative formats ms as "3 minutes ago" relative to now.
func Relative(ms int64, now time.Time) string {
	if ms == 0 {
		return "-"
	}
	d := now.Sub(FromMillis(ms))
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	case d < 30*24*time.Hour:
		s = plural(int(d/(24*time.Hour)), "day")
	case d < 365*24*time.Hour:
		s = plural(int(d/(30*24*time.Hour)), "month")
	default:
		s = plural(int(d/(365*24*time.Hour)), "year")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

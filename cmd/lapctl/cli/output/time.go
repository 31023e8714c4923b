package output

import (
	"time"

	"lapctl/human"
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

// Relative formats ms as "3 minutes ago" relative to now (human.Relative,
// which the console shares).
func Relative(ms int64, now time.Time) string {
	return human.Relative(FromMillis(ms), now)
}

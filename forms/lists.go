package forms

import (
	"fmt"
	"slices"
	"strings"
)

// parseList reads a list input: one entry per line or comma-separated,
// each trimmed, blanks dropped and repeats removed (first one kept).
func parseList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, item := range strings.Split(line, ",") {
			item = strings.TrimSpace(item)
			if item != "" && !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
	}
	return out
}

// joinList is the inverse of parseList, for prefilling a list input.
func joinList(items []string) string { return strings.Join(items, "\n") }

func sortStrings(s []string) { slices.Sort(s) }

// plural says "1 line", "2 lines".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

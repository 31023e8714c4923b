package cmdutil

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// FlagErrorWithSuggestion wraps a flag parse error as a usage error and,
// for an unknown flag, names the closest flags the command has.
func FlagErrorWithSuggestion(cmd *cobra.Command, err error) error {
	name, ok := unknownFlagName(err.Error())
	if !ok {
		return &FlagError{Err: err}
	}
	if s := SuggestFlags(cmd, name); len(s) > 0 {
		return &FlagError{Err: fmt.Errorf("%w\n\nDid you mean this?\n\t%s", err, strings.Join(s, "\n\t"))}
	}
	return &FlagError{Err: err}
}

// unknownFlagName pulls the flag name out of pflag's "unknown flag: --x".
func unknownFlagName(msg string) (string, bool) {
	const long = "unknown flag: --"
	if i := strings.Index(msg, long); i >= 0 {
		name := msg[i+len(long):]
		if j := strings.IndexAny(name, " ="); j >= 0 {
			name = name[:j]
		}
		return name, name != ""
	}
	return "", false
}

// SuggestFlags lists the command's flags (its own and inherited) within a
// small edit distance of name, or that name starts or ends, best first.
func SuggestFlags(cmd *cobra.Command, name string) []string {
	type cand struct {
		flag string
		dist int
	}
	var cands []cand
	seen := map[string]bool{}
	visit := func(f *pflag.Flag) {
		if f.Hidden || seen[f.Name] {
			return
		}
		seen[f.Name] = true
		d := levenshtein(name, f.Name)
		if d <= 2 || (len(name) >= 3 && (strings.HasPrefix(f.Name, name) || strings.HasPrefix(name, f.Name))) {
			cands = append(cands, cand{"--" + f.Name, d})
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	out := make([]string, 0, 3)
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].flag)
	}
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

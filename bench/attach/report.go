package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"lapctl/bench/ptybench"
)

// Goals: attach at least 1.2× ssh's throughput on the same path, and a
// keystroke costing no more CPU than one through ssh.
const (
	goalVsSSH  = 1.2
	goalKeyCPU = 1.0
)

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianDuration(v []time.Duration) time.Duration {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISS"
}

// report prints the side-by-side table (local pty and lapctl attach
// first, then ssh -tt and the relay when measured) and says whether the
// goals were met.
func report(w io.Writer, o options, all []*contender, ssh, relay *contender) bool {
	var others []string
	for _, c := range all {
		if c != all[1] {
			others = append(others, c.name)
		}
	}
	fmt.Fprintf(w, "lapctl attach beside %s: same shell, same run; %d rounds, %d MiB of output, %d keys each\n\n",
		strings.Join(others, ", "), o.rounds, o.size>>20, o.keys)
	fmt.Fprintf(w, "%-26s", "")
	for _, c := range all {
		fmt.Fprintf(w, " %14s", c.name)
	}
	fmt.Fprintln(w)
	row := func(label string, f func(c *contender) string) {
		fmt.Fprintf(w, "%-26s", label)
		for _, c := range all {
			fmt.Fprintf(w, " %14s", f(c))
		}
		fmt.Fprintln(w)
	}
	row("throughput (MB/s)", func(c *contender) string { return fmt.Sprintf("%.1f", median(c.tput)/1e6) })
	row("echo p50 (µs)", func(c *contender) string { return fmt.Sprintf("%.0f", us(ptybench.Percentile(c.echo, 50))) })
	row("echo p99 (µs)", func(c *contender) string { return fmt.Sprintf("%.0f", us(ptybench.Percentile(c.echo, 99))) })
	row("CPU per keystroke (µs)", func(c *contender) string {
		if c == all[0] {
			return "-" // the shell's own work only
		}
		return fmt.Sprintf("%.0f", us(medianDuration(c.keyCPU)))
	})
	row("  server's share (µs)", func(c *contender) string {
		if c == all[0] || c == relay {
			return "-" // no server there
		}
		return fmt.Sprintf("%.0f", us(medianDuration(c.keyParts[0])))
	})

	local, lap := all[0], all[1]
	fmt.Fprintf(w, "\nlapctl/local throughput %.2f×\n", median(lap.tput)/median(local.tput))
	if relay != nil {
		fmt.Fprintf(w, "lapctl/relay throughput %.2f×\n", median(lap.tput)/median(relay.tput))
	}
	if ssh == nil {
		return true
	}
	if relay != nil {
		// A reference for the goal: an attach adds a network and a
		// protocol to this path, so it does well to come near it.
		fmt.Fprintf(w, "relay/ssh    throughput %.2f×  (script(1): the same two ptys, a plain copy, no network)\n",
			median(relay.tput)/median(ssh.tput))
	}
	vsSSH := median(lap.tput) / median(ssh.tput)
	keyRatio := float64(medianDuration(lap.keyCPU)) / float64(max(medianDuration(ssh.keyCPU), 1))
	fmt.Fprintf(w, "lapctl/ssh   throughput %.2f×  (goal ≥ %.1f× %s)\n", vsSSH, goalVsSSH, verdict(vsSSH >= goalVsSSH))
	fmt.Fprintf(w, "lapctl/ssh   CPU per keystroke %.2f×  (goal ≤ %.1f× %s)\n", keyRatio, goalKeyCPU, verdict(keyRatio <= goalKeyCPU))
	return vsSSH >= goalVsSSH && keyRatio <= goalKeyCPU
}

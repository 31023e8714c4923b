// Command attach measures lapctl attach as a whole program against a
// local pty, in one run: output throughput of a large
// `head -c N /dev/zero | tr '\0' a` and keystroke echo latency (p50/p99),
// through `lapctl serve` + `lapctl attach` running in a pty, beside the
// same shell on a local pty with no network.
//
//	go run ./bench/attach -bin ./bin/lapctl
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"
)

func main() {
	bin := flag.String("bin", "./bin/lapctl", "lapctl binary to measure")
	size := flag.Int64("bytes", 64<<20, "bytes of output per throughput run")
	keys := flag.Int("keys", 1000, "keystrokes per latency run (at least 500)")
	rounds := flag.Int("rounds", 3, "rounds, alternating local and attach; medians are reported")
	flag.Parse()
	if err := run(*bin, *size, max(*keys, 500), max(*rounds, 1)); err != nil {
		fmt.Fprintln(os.Stderr, "bench/attach:", err)
		os.Exit(1)
	}
}

func run(bin string, size int64, keys, rounds int) error {
	env, err := startEnv(bin)
	if err != nil {
		return err
	}
	defer env.close()
	local, err := localShell(env.dir)
	if err != nil {
		return err
	}
	defer local.close()
	remote, err := env.attach()
	if err != nil {
		return err
	}
	defer remote.close()

	const timeout = 5 * time.Minute
	serveCPU, attachCPU := cpuTime(env.serve.Process.Pid), cpuTime(remote.cmd.Process.Pid)
	var lt, rt, lcores, rcores []float64
	var ld, rd []time.Duration
	for r := range rounds {
		// Alternate who goes first, so neither always gets the warmer cache.
		order := []*shell{local, remote}
		if r%2 == 1 {
			order = []*shell{remote, local}
		}
		for _, sh := range order {
			b0, t0 := machineTicks()
			v, err := sh.screen.Throughput(size, timeout)
			if err != nil {
				return fmt.Errorf("%s throughput: %w", sh.name, err)
			}
			b1, t1 := machineTicks()
			cores := coresBusy(b0, t0, b1, t1)
			ds, err := sh.screen.EchoLatency(keys, timeout)
			if err != nil {
				return fmt.Errorf("%s echo: %w", sh.name, err)
			}
			if sh == local {
				lt, ld, lcores = append(lt, v), append(ld, ds...), append(lcores, cores)
			} else {
				rt, rd, rcores = append(rt, v), append(rd, ds...), append(rcores, cores)
			}
		}
	}
	ok := report(os.Stdout, size, keys, rounds, median(lt), median(rt), ld, rd)
	fmt.Printf("\nCPU used during the runs: lapctl serve %s, lapctl attach %s\n",
		cpuTime(env.serve.Process.Pid)-serveCPU, cpuTime(remote.cmd.Process.Pid)-attachCPU)
	fmt.Printf("cores busy during throughput (median, of %d): local pty %.2f, lapctl attach %.2f\n",
		runtime.NumCPU(), median(lcores), median(rcores))
	if err := remote.detach(); err != nil {
		return err
	}
	if !ok {
		fmt.Println("(goals missed on this run)")
	}
	return nil
}

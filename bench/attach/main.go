// Command attach measures lapctl attach as a whole program, in one run,
// beside two baselines on the same machine: the same shell on a local pty
// (no network), and OpenSSH (`ssh -tt` to a throwaway sshd on loopback),
// which takes the same path as attach (a session PTY → network → the
// operator's PTY). For each: output throughput of a large
// `head -c N /dev/zero | tr '\0' a`, keystroke echo latency (p50/p99) and
// the CPU each keystroke costs the programs on the path. Then `lapctl
// serve` alone: its RSS after one large output streamed to several
// attached clients, and its threads and API latency with many live
// sessions.
//
//	go run ./bench/attach -bin ./bin/lapctl
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"lapctl/internal/cpustat"
)

type options struct {
	bin                  string
	size                 int64
	keys, rounds         int
	ssh                  bool
	streamBytes          int64
	streamClients        int
	sessions, apiSamples int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "./bin/lapctl", "lapctl binary to measure")
	flag.Int64Var(&o.size, "bytes", 64<<20, "bytes of output per throughput run")
	flag.IntVar(&o.keys, "keys", 1000, "keystrokes per latency run (at least 500)")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds, contenders interleaved; medians are reported")
	flag.BoolVar(&o.ssh, "ssh", true, "also measure OpenSSH (needs "+sshdPath+")")
	flag.Int64Var(&o.streamBytes, "stream-bytes", 50_000_000, "output streamed to the attached clients of the memory run")
	flag.IntVar(&o.streamClients, "stream-clients", 10, "clients attached during the memory run")
	flag.IntVar(&o.sessions, "sessions", 1000, "live sessions held during the scale run (0: skip)")
	flag.IntVar(&o.apiSamples, "api-samples", 300, "API requests timed during the scale run")
	flag.Parse()
	o.keys, o.rounds = max(o.keys, 500), max(o.rounds, 1)
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench/attach:", err)
		os.Exit(1)
	}
}

// contender is one way of reaching the shell, with the CPU its programs
// (not the shell) have used so far.
type contender struct {
	*shell
	parts [2]func() time.Duration // the server's and the client's share of cpu

	tput, cores, steal []float64
	echo               []time.Duration
	keyCPU             []time.Duration    // CPU per keystroke, per round
	keyParts           [2][]time.Duration // the same, server and client apart
}

// cpuParts is the CPU the contender's server and client used so far
// (zeros for the local pty: only the shell works there).
func (c *contender) cpuParts() [2]time.Duration {
	var out [2]time.Duration
	for i, f := range c.parts {
		if f != nil {
			out[i] = f()
		}
	}
	return out
}

func run(o options) error {
	env, err := startEnv(o.bin)
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
	serveCPU := func() time.Duration { return cpuTime(env.serve.Process.Pid) }
	all := []*contender{
		{shell: local},
		{shell: remote, parts: [2]func() time.Duration{serveCPU, func() time.Duration { return cpuTime(remote.cmd.Process.Pid) }}},
	}
	var ssh, relay *contender
	if o.ssh {
		sshd, err := startSSH(env.dir)
		if err != nil {
			return err
		}
		defer sshd.close()
		viaSSH, err := sshd.shell(env.dir)
		if err != nil {
			return err
		}
		defer viaSSH.close()
		ssh = &contender{shell: viaSSH, parts: [2]func() time.Duration{sshd.serverCPU,
			func() time.Duration { return cpuTime(viaSSH.cmd.Process.Pid) }}}
		all = append(all, ssh)
	}

	// The same two ptys with a plain copy in C between them and no
	// network: a reference for what the ptys alone allow here.
	if relayed, err := relayShell(env.dir); err != nil {
		return err
	} else if relayed != nil {
		defer relayed.close()
		relay = &contender{shell: relayed, parts: [2]func() time.Duration{nil, func() time.Duration { return cpuTime(relayed.cmd.Process.Pid) }}}
		all = append(all, relay)
	}

	const timeout = 5 * time.Minute
	for r := range o.rounds {
		// Rotate who goes first, so none always gets the warmer cache.
		for i := range all {
			c := all[(i+r)%len(all)]
			m0 := cpustat.Now()
			v, err := c.screen.Throughput(o.size, timeout)
			if err != nil {
				return fmt.Errorf("%s throughput: %w", c.name, err)
			}
			m1 := cpustat.Now()
			cpu0 := c.cpuParts()
			ds, err := c.screen.EchoLatency(o.keys, timeout)
			if err != nil {
				return fmt.Errorf("%s echo: %w", c.name, err)
			}
			c.tput, c.cores = append(c.tput, v), append(c.cores, cpustat.CoresBusy(m0, m1))
			c.steal = append(c.steal, cpustat.StealPercent(m0, m1))
			c.echo = append(c.echo, ds...)
			cpu1 := c.cpuParts()
			for i := range cpu1 {
				c.keyParts[i] = append(c.keyParts[i], (cpu1[i]-cpu0[i])/time.Duration(o.keys))
			}
			c.keyCPU = append(c.keyCPU, (cpu1[0]+cpu1[1]-cpu0[0]-cpu0[1])/time.Duration(o.keys))
		}
	}
	ok := report(os.Stdout, o, all, ssh, relay)
	fmt.Printf("cores busy during throughput (median, of %d):", runtime.NumCPU())
	for _, c := range all {
		fmt.Printf(" %s %.2f;", c.name, median(c.cores))
	}
	fmt.Println()
	// On a shared VM the hypervisor's share moves every figure above; a
	// run with much of it says little about the code.
	fmt.Print("hypervisor steal during throughput (median):")
	for _, c := range all {
		fmt.Printf(" %s %.1f%%;", c.name, median(c.steal))
	}
	fmt.Println()
	if err := remote.detach(); err != nil {
		return err
	}

	memOK, err := streamMemory(env, o.streamBytes, o.streamClients)
	if err != nil {
		return fmt.Errorf("memory run: %w", err)
	}
	scaleOK := true
	if o.sessions > 0 {
		if scaleOK, err = liveSessions(env, o.sessions, o.apiSamples); err != nil {
			return fmt.Errorf("scale run: %w", err)
		}
	}
	if !ok || !memOK || !scaleOK {
		fmt.Println("\n(goals missed on this run)")
	}
	return nil
}

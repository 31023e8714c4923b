package ptyattach

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/creack/pty"

	"lapctl/bench/ptybench"
	"lapctl/internal/apitest"
	"lapctl/server/servertest"
)

const benchTimeout = 2 * time.Minute

// localShell runs /bin/sh on a pty of its own: the baseline.
func localShell(b *testing.B) *ptybench.Screen {
	b.Helper()
	cmd := exec.Command("/bin/sh")
	cmd.Env = append(os.Environ(), "PS1=$ ")
	master, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		master.Close()
	})
	return ptybench.NewScreen(master)
}

// attachedShell runs /bin/sh as a session of the embedded server and
// attaches a pty pair to it, as lapctl attach does on a terminal.
func attachedShell(b *testing.B) *ptybench.Screen {
	b.Helper()
	inst := servertest.Start(b, servertest.WithHarnessCmd("claude-code", "/bin/sh"))
	c := apitest.NewClient(b, inst.URL, inst.Key)
	sess := startShellSession(b, c)
	master, tty, err := pty.Open()
	if err != nil {
		b.Fatal(err)
	}
	pty.Setsize(master, &pty.Winsize{Cols: 80, Rows: 24})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Attach(ctx, Options{Client: c, SessionID: sess.ID, In: tty, Out: tty, ErrOut: tty, NoSignals: true})
	}()
	b.Cleanup(func() {
		cancel()
		<-done
		tty.Close()
		master.Close()
	})
	return ptybench.NewScreen(master)
}

// BenchmarkAttachThroughput compares the output rate of a shell through
// the server and attach with the same shell on a local pty.
func BenchmarkAttachThroughput(b *testing.B) {
	const n = 32 << 20
	local, remote := localShell(b), attachedShell(b)
	var lsum, rsum float64
	b.ResetTimer()
	for range b.N {
		l, err := local.Throughput(n, benchTimeout)
		if err != nil {
			b.Fatal(err)
		}
		r, err := remote.Throughput(n, benchTimeout)
		if err != nil {
			b.Fatal(err)
		}
		lsum, rsum = lsum+l, rsum+r
	}
	b.ReportMetric(lsum/float64(b.N)/1e6, "local-MB/s")
	b.ReportMetric(rsum/float64(b.N)/1e6, "attach-MB/s")
	b.ReportMetric(rsum/lsum, "ratio")
}

// BenchmarkAttachEcho compares keystroke echo latency through the server
// and attach with the same shell on a local pty, 500 keys an iteration.
func BenchmarkAttachEcho(b *testing.B) {
	const keys = 500
	local, remote := localShell(b), attachedShell(b)
	var ld, rd []time.Duration
	b.ResetTimer()
	for range b.N {
		l, err := local.EchoLatency(keys, benchTimeout)
		if err != nil {
			b.Fatal(err)
		}
		r, err := remote.EchoLatency(keys, benchTimeout)
		if err != nil {
			b.Fatal(err)
		}
		ld, rd = append(ld, l...), append(rd, r...)
	}
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	b.ReportMetric(us(ptybench.Percentile(ld, 50)), "local-p50-µs")
	b.ReportMetric(us(ptybench.Percentile(ld, 99)), "local-p99-µs")
	b.ReportMetric(us(ptybench.Percentile(rd, 50)), "attach-p50-µs")
	b.ReportMetric(us(ptybench.Percentile(rd, 99)), "attach-p99-µs")
}

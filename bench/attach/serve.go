package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"lapctl/bench/ptybench"
	"lapctl/internal/cpustat"
	"lapctl/spec"
)

// Goals of `lapctl serve` on its own.
const (
	goalRSSMiB  = 50
	goalThreads = 50
	goalAPIP99  = 20 * time.Millisecond
)

// api sends one request with the master key and decodes the answer.
func (e *env) api(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// procStatus reads one "Key: value" of /proc/<pid>/status as a number
// (VmRSS in KiB, Threads).
func procStatus(pid int, key string) int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.Atoi(strings.Fields(v)[0])
			return n
		}
	}
	return 0
}

// streamMemory attaches clients to a new shell session, streams size
// bytes of output to all of them, and reports serve's RSS before, at the
// end of the stream and a few seconds after.
func streamMemory(e *env, size int64, clients int) (bool, error) {
	var s spec.Session
	if err := e.api("POST", "/session", spec.SessionSpec{AgentID: e.agent, Title: "stream"}, &s); err != nil {
		return false, err
	}
	defer e.api("DELETE", "/session/"+s.ID, nil, nil) //nolint:errcheck // best effort
	for deadline := time.Now().Add(20 * time.Second); s.Status != spec.SessionRunning; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false, fmt.Errorf("session %s did not start", s.ID)
		}
		if err := e.api("GET", "/session/"+s.ID, nil, &s); err != nil {
			return false, err
		}
	}
	pid := e.serve.Process.Pid
	before := procStatus(pid, "VmRSS")
	url := "ws" + strings.TrimPrefix(e.base, "http") + s.TTYURL + "?token=" + s.TTYToken
	var conns []*websocket.Conn
	for range clients {
		c, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + s.TTYToken}})
		if err != nil {
			return false, err
		}
		defer c.Close()
		conns = append(conns, c)
	}
	const marker = "STREAMXDONE"
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	var peak int
	var peakMu sync.Mutex
	for i, c := range conns {
		wg.Go(func() {
			// Every client reads everything until the marker (its own
			// echo of the command spells it with a quote inside), into
			// one buffer: ten clients allocating a message each can fall
			// past the server's lag limit on 2 cores and be cut (one run
			// ended so: close 1006).
			buf := make([]byte, 64<<10)
			var tail []byte // the last bytes read, for a marker split across reads
			var got int64
			for {
				_, r, err := c.NextReader()
				if err != nil {
					errs <- fmt.Errorf("client %d after %.1f MB: %w", i+1, float64(got)/1e6, err)
					return
				}
				for {
					n, err := r.Read(buf)
					got += int64(n)
					if containsAcross(tail, buf[:n], []byte(marker)) {
						peakMu.Lock()
						peak = max(peak, procStatus(pid, "VmRSS"))
						peakMu.Unlock()
						return
					}
					tail = keepLast(tail, buf[:n], len(marker)-1)
					if err != nil {
						break // io.EOF ends the message
					}
				}
			}
		})
	}
	cmd := fmt.Sprintf("head -c %d /dev/zero | tr '\\0' a; echo STREAMX\"\"DONE\r", size)
	if err := conns[0].WriteMessage(websocket.TextMessage, []byte(cmd)); err != nil {
		return false, err
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return false, err
	}
	time.Sleep(5 * time.Second) // the server returns burst memory a moment after
	after := procStatus(pid, "VmRSS")
	ok := after <= goalRSSMiB<<10
	fmt.Printf("\nlapctl serve RSS, %d MB streamed to %d attached clients: before %.1f MiB, at the end %.1f MiB, 5 s after %.1f MiB  (goal ≤ %d MiB %s)\n",
		size/1_000_000, clients, float64(before)/1024, float64(peak)/1024, float64(after)/1024, goalRSSMiB, verdict(ok))
	return ok, nil
}

// liveSessions starts n shell sessions, then times the API (a list page
// and a session GET) while all are live, and counts serve's threads.
func liveSessions(e *env, n, samples int) (bool, error) {
	pid := e.serve.Process.Pid
	threads0 := procStatus(pid, "Threads")
	ids := make([]string, 0, n)
	defer func() { deleteSessions(e, ids) }()
	for range n {
		var s spec.Session
		if err := e.api("POST", "/session", spec.SessionSpec{AgentID: e.agent, Title: "idle"}, &s); err != nil {
			return false, err
		}
		ids = append(ids, s.ID)
	}
	// Running means each has its process and its PTY reader.
	for _, id := range ids {
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			var s spec.Session
			if err := e.api("GET", "/session/"+id, nil, &s); err != nil {
				return false, err
			}
			if s.Status == spec.SessionRunning {
				break
			}
			if time.Now().After(deadline) {
				return false, fmt.Errorf("session %s: %s", id, s.Status)
			}
		}
	}
	// Running means started, not settled: for about a second after the
	// last one, a thousand sandboxes finishing their start keep both
	// cores busy. Held sessions are what the goal is about, so the
	// samples wait for the machine to go quiet (and say how long it took).
	settled, quiet := waitQuiet(30 * time.Second)
	m0 := cpustat.Now()
	var lat []time.Duration
	for i := range samples {
		path := "/api/agents"
		if i%2 == 1 {
			path = "/session/" + ids[i%len(ids)]
		}
		t0 := time.Now()
		if err := e.api("GET", path, nil, nil); err != nil {
			return false, err
		}
		lat = append(lat, time.Since(t0))
	}
	busy := cpustat.CoresBusy(m0, cpustat.Now())
	threads := procStatus(pid, "Threads")
	p50, p99 := ptybench.Percentile(lat, 50), ptybench.Percentile(lat, 99)
	ok := threads <= goalThreads && p99 <= goalAPIP99
	fmt.Printf("lapctl serve with %d live sessions: %d threads (%d before; goal ≤ %d), API p50 %.2f ms p99 %.2f ms (goal ≤ %d ms)  %s\n",
		n, threads, threads0, goalThreads, ms(p50), ms(p99), goalAPIP99.Milliseconds(), verdict(ok))
	how := "once the machine went quiet"
	if !quiet {
		how = "the machine still busy"
	}
	fmt.Printf("  (sampled %.1f s after the last session was running, %s; cores busy while sampling %.2f of %d)\n",
		settled.Seconds(), how, busy, runtime.NumCPU())
	return ok, nil
}

// containsAcross reports whether marker is in tail followed by p (tail
// holds fewer bytes than marker).
func containsAcross(tail, p, marker []byte) bool {
	if bytes.Contains(p, marker) {
		return true
	}
	head := p[:min(len(p), len(marker)-1)]
	return bytes.Contains(append(tail[:len(tail):len(tail)], head...), marker)
}

// keepLast returns the last n bytes of tail followed by p, in tail's
// array.
func keepLast(tail, p []byte, n int) []byte {
	t := append(tail, p[max(0, len(p)-n):]...)
	if len(t) > n {
		t = append(t[:0], t[len(t)-n:]...)
	}
	return t
}

// quietBusy is the cores busy, over a window of quietWindow, below which
// the machine counts as quiet.
const (
	quietBusy   = 0.5
	quietWindow = 200 * time.Millisecond
)

// waitQuiet waits, up to limit, for a window in which the machine is
// quiet, and returns how long it waited and whether it found one.
func waitQuiet(limit time.Duration) (time.Duration, bool) {
	t0 := time.Now()
	for time.Since(t0) < limit {
		m0 := cpustat.Now()
		time.Sleep(quietWindow)
		if cpustat.CoresBusy(m0, cpustat.Now()) < quietBusy {
			return time.Since(t0), true
		}
	}
	return time.Since(t0), false
}

// deleteSessions ends the scale run's sessions a few at a time (one at a
// time, a thousand stops would keep the bench running long after its
// last figure) and says how long that took.
func deleteSessions(e *env, ids []string) {
	t0 := time.Now()
	work := make(chan string)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for id := range work {
				_ = e.api("DELETE", "/session/"+id, nil, nil)
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	fmt.Printf("  (%d sessions deleted in %.1f s)\n", len(ids), time.Since(t0).Seconds())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

package server_test

import (
	"bufio"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"lapctl/internal/testutil"
	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// A client that sends a create and closes its side at once either gets
// the 201 of a write that happened, or a 499 for one rolled back: never
// an empty 200. The access log says which.
func TestHalfClosedCreateIsAnsweredHonestly(t *testing.T) {
	t.Parallel()
	var logBuf testutil.SyncBuffer
	inst := servertest.Start(t, servertest.WithOptions(func(o *server.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logBuf, nil))
	}))
	c := newClient(t, inst)
	addr := strings.TrimPrefix(inst.URL, "http://")
	// Every other create meets a writer held by the test, so its client
	// is seen to leave while it waits its turn: deterministic, however
	// fast or loaded the machine is.
	const n = 20
	statuses := map[int]int{}
	for i := range n {
		release := func() {}
		if i%2 == 0 {
			var err error
			if release, err = server.HoldWriter(inst.Server); err != nil {
				t.Fatal(err)
			}
		}
		name := fmt.Sprintf("half-%d", i)
		body := fmt.Sprintf(`{"name":%q,"owner_id":"o"}`, name)
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /api/agents HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			addr, inst.Key, len(body), body)
		conn.(*net.TCPConn).CloseWrite()
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		status := 0
		if err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
		conn.Close()
		release()
		statuses[status]++
		var list spec.AgentList
		c.call("GET", "/api/agents?search="+name, nil, http.StatusOK, &list)
		stored := len(list.Agents) == 1
		switch {
		case status == http.StatusCreated && !stored:
			t.Errorf("%s: 201 but not stored", name)
		case status == 499 && stored:
			t.Errorf("%s: 499 but the agent was stored", name)
		case status != http.StatusCreated && status != 499 && status != 0:
			t.Errorf("%s: status %d", name, status)
		}
	}
	t.Logf("statuses of %d half-closed creates: %v", n, statuses)
	if statuses[499] == 0 {
		t.Errorf("no half-closed create was cut short (%v): the test did not exercise the case", statuses)
	}
	eventually(t, "the log records the 499s", func() bool {
		return strings.Count(logBuf.String(), "status=499") == statuses[499]
	})
	if strings.Contains(logBuf.String(), "method=POST path=/api/agents status=200") {
		t.Error("the access log records a 200 for a create")
	}
}

// A client that sends its headers and then stalls gets a 408 once the
// body deadline passes, instead of holding the connection forever.
func TestStalledBodyTimesOut(t *testing.T) {
	defer server.SetBodyReadTimeout(300 * time.Millisecond)()
	inst := servertest.Start(t)
	addr := strings.TrimPrefix(inst.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/agents HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":", addr, inst.Key)
	start := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("stalled body: status %d, want 408", resp.StatusCode)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the stalled body was held %v", d)
	}
}

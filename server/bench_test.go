package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"lapctl/spec"
)

// benchServer runs a real server on a loopback port for benchmarks (the
// servertest package cannot be used from inside this package).
type benchServer struct {
	*Server
	url string
}

func startBenchServer(b *testing.B, opts Options) *benchServer {
	b.Helper()
	opts.Listen = "127.0.0.1:0"
	if opts.DataDir == "" {
		opts.DataDir = b.TempDir()
	}
	s, err := New(opts)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		b.Fatal(err)
	}
	go s.Serve(ln) //nolint:errcheck // ends with ErrServerClosed at cleanup
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			b.Error(err)
		}
	})
	return &benchServer{Server: s, url: "http://" + ln.Addr().String()}
}

func (s *benchServer) do(b *testing.B, method, path string, body any, want int, out any) {
	var rd io.Reader
	if body != nil {
		enc, err := json.Marshal(body)
		if err != nil {
			b.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.MasterKey())
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != want {
		b.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			b.Fatal(err)
		}
	}
}

// benchAgent is a typical agent: a prompt, a few env vars and a file.
func benchAgent(i int) spec.AgentSpec {
	harnesses := []string{"opencode", "claude-agent-sdk", "claude-code", "codex"}
	return spec.AgentSpec{
		Name: fmt.Sprintf("agent-%05d", i), OwnerID: fmt.Sprintf("owner-%d", i%10), Harness: harnesses[i%4],
		Model: "anthropic/claude-sonnet-4-6", System: "You review pull requests and explain what to change.",
		EnvVars:      map[string]string{"GITHUB_TOKEN": "ghp_0123456789abcdef", "LOG_LEVEL": "info"},
		SandboxFiles: []spec.SandboxFile{{Name: "notes", SandboxPath: "~/notes.md", Content: "aGVsbG8=", Size: 5}},
	}
}

func BenchmarkAgentCreate(b *testing.B) {
	s := startBenchServer(b, Options{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.do(b, "POST", "/api/agents", benchAgent(i), http.StatusCreated, nil)
		i++
	}
}

// BenchmarkListAgents lists pages out of 10,000 stored agents.
func BenchmarkListAgents(b *testing.B) {
	s := startBenchServer(b, Options{})
	ctx := context.Background()
	for i := range 10000 {
		spec := benchAgent(i)
		spec.Normalize()
		now := nowMs()
		rec := &agentRecord{AgentSpec: spec, ID: newID(prefixAgent), Status: spec2Status(i), CreatedAt: now, UpdatedAt: now}
		if err := s.store.createAgent(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []struct{ name, query string }{
		{"page-of-50", ""},
		{"page-of-50-by-name-offset-5000", "?sort=name&order=asc&offset=5000"},
		{"owner-filter", "?owner_id=owner-3&sort=harness"},
		{"search", "?search=AGENT-012"},
		{"search-no-match", "?search=nothing-matches-this"},
	} {
		b.Run(q.name, func(b *testing.B) {
			var list spec.AgentList
			for b.Loop() {
				s.do(b, "GET", "/api/agents"+q.query, nil, http.StatusOK, &list)
			}
			if list.Total == 0 && !strings.Contains(q.name, "no-match") {
				b.Fatalf("%s listed nothing", q.name)
			}
		})
	}
}

func spec2Status(i int) string {
	if i%2 == 0 {
		return spec.StatusActive
	}
	return spec.StatusPaused
}

// floodBytes is how much output each throughput run produces.
const floodBytes = 64 << 20

// floodCommand waits for a line on the terminal (so the reader is in
// place before any output exists), then writes floodBytes.
var floodCommand = fmt.Sprintf(`read go; head -c %d /dev/zero | tr '\0' a`, floodBytes)

// BenchmarkPTYThroughput compares reading a PTY's output directly with
// reading the same command's output through the WebSocket endpoint, in
// one run, and reports the ratio.
func BenchmarkPTYThroughput(b *testing.B) {
	s := startBenchServer(b, Options{HarnessCmds: map[string]string{"claude-code": floodCommand}})
	var agent spec.Agent
	s.do(b, "POST", "/api/agents", spec.AgentSpec{Name: "flood", OwnerID: "o", Harness: "claude-code"}, http.StatusCreated, &agent)
	s.do(b, "POST", "/api/agents/"+agent.ID+"/resume", nil, http.StatusOK, nil)

	var direct, viaWS time.Duration
	for b.Loop() {
		direct += timeDirectPTY(b)
		viaWS += timeWebSocketPTY(b, s, agent.ID)
	}
	n := float64(b.N)
	directRate := floodBytes / (direct.Seconds() / n) / (1 << 20)
	wsRate := floodBytes / (viaWS.Seconds() / n) / (1 << 20)
	b.ReportMetric(directRate, "direct-MiB/s")
	b.ReportMetric(wsRate, "websocket-MiB/s")
	b.ReportMetric(wsRate/directRate, "ws/direct")
}

// timeDirectPTY runs floodCommand on a PTY and reads it to the end.
func timeDirectPTY(b *testing.B) time.Duration {
	b.Helper()
	cmd := exec.Command("/bin/sh", "-c", floodCommand)
	ptmx, pidfd, err := startOnPTY(cmd, 80, 24)
	if err != nil {
		b.Fatal(err)
	}
	defer ptmx.Close()
	if pidfd >= 0 {
		defer syscall.Close(pidfd)
	}
	start := time.Now()
	if _, err := ptmx.Write([]byte("\n")); err != nil {
		b.Fatal(err)
	}
	// The same 64 KiB reads as the session's pump; the loop ends with EIO
	// once the command exits.
	buf := make([]byte, 64<<10)
	var n int
	for {
		m, err := ptmx.Read(buf)
		n += m
		if err != nil {
			break
		}
	}
	elapsed := time.Since(start)
	_ = cmd.Wait()
	if n < floodBytes {
		b.Fatalf("direct PTY read %d bytes, want %d", n, floodBytes)
	}
	return elapsed
}

// timeWebSocketPTY starts a session running floodCommand, attaches, and
// reads binary frames until the close.
func timeWebSocketPTY(b *testing.B, s *benchServer, agentID string) time.Duration {
	b.Helper()
	var sess spec.Session
	s.do(b, "POST", "/session", spec.SessionSpec{AgentID: agentID}, http.StatusOK, &sess)
	defer s.do(b, "DELETE", "/session/"+sess.ID, nil, http.StatusOK, nil)
	url := "ws" + strings.TrimPrefix(s.url, "http") + sess.TTYURL + "?token=" + sess.TTYToken
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		var st spec.Session
		s.do(b, "GET", "/session/"+sess.ID, nil, http.StatusOK, &st)
		if st.Status == spec.SessionRunning {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("session did not start: %+v", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	if err := conn.WriteMessage(websocket.TextMessage, []byte("\n")); err != nil {
		b.Fatal(err)
	}
	var n int64
	for {
		mt, r, err := conn.NextReader()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
				b.Fatalf("websocket ended with %v", err)
			}
			break
		}
		m, _ := io.Copy(io.Discard, r)
		if mt == websocket.BinaryMessage {
			n += m
		}
	}
	elapsed := time.Since(start)
	if n < floodBytes {
		b.Fatalf("websocket read %d bytes, want %d", n, floodBytes)
	}
	return elapsed
}

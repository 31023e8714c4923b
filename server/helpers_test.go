package server_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"lapctl/internal/testutil"
	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// apiClient is a tiny JSON client for the tests, bound to one instance.
type apiClient struct {
	t    testing.TB
	base string
	key  string
}

func newClient(t testing.TB, inst *servertest.Instance) *apiClient {
	return &apiClient{t: t, base: inst.URL, key: inst.Key}
}

// raw sends a request and returns the status and body. body may be nil, a
// []byte or string sent as is, or a value encoded as JSON.
func (c *apiClient) raw(method, path string, body any, header http.Header) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			c.t.Fatalf("encoding body: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if header == nil {
		header = http.Header{"Authorization": {"Bearer " + c.key}}
	}
	req.Header = header
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// call sends a request, requires status want and decodes the body into out
// (when out is not nil).
func (c *apiClient) call(method, path string, body any, want int, out any) {
	c.t.Helper()
	status, b := c.raw(method, path, body, nil)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, status, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, b, err)
		}
	}
}

// fail sends a request that must fail with status and returns its error.
func (c *apiClient) fail(method, path string, body any, status int) spec.ErrorDetail {
	c.t.Helper()
	got, b := c.raw(method, path, body, nil)
	if got != status {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, got, status, b)
	}
	return decodeError(c.t, b)
}

func decodeError(t testing.TB, b []byte) spec.ErrorDetail {
	t.Helper()
	var eb spec.ErrorBody
	if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Type == "" || eb.Error.Message == "" {
		t.Fatalf("not the contract's error shape: %s (%v)", b, err)
	}
	return eb.Error
}

func (c *apiClient) createAgent(a spec.AgentSpec) spec.Agent {
	c.t.Helper()
	if a.OwnerID == "" {
		a.OwnerID = "owner-1"
	}
	var out spec.Agent
	c.call("POST", "/api/agents", a, http.StatusCreated, &out)
	return out
}

// activeAgent creates an agent and resumes it, ready for sessions.
func (c *apiClient) activeAgent(a spec.AgentSpec) spec.Agent {
	c.t.Helper()
	ag := c.createAgent(a)
	c.call("POST", "/api/agents/"+ag.ID+"/resume", nil, http.StatusOK, nil)
	ag.Status = spec.StatusActive
	return ag
}

func (c *apiClient) startSession(body spec.SessionSpec) spec.Session {
	c.t.Helper()
	var s spec.Session
	c.call("POST", "/session", body, http.StatusOK, &s)
	return s
}

func (c *apiClient) session(id string) spec.Session {
	c.t.Helper()
	var s spec.Session
	c.call("GET", "/session/"+id, nil, http.StatusOK, &s)
	return s
}

// waitSession polls a session until done reports true, failing after a
// deadline with the last state seen.
func (c *apiClient) waitSession(id string, what string, done func(spec.Session) bool) spec.Session {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := c.session(id)
		if done(s) {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("session %s never became %s; last: status=%s phase=%s reason=%q", id, what, s.Status, s.Phase, s.FailureReason)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *apiClient) waitStatus(id, status string) spec.Session {
	c.t.Helper()
	return c.waitSession(id, status, func(s spec.Session) bool { return s.Status == status })
}

// message sends text to an API session and returns the reply's text.
func (c *apiClient) message(sessionID, text string) string {
	c.t.Helper()
	var reply []spec.Message
	c.call("POST", "/session/"+sessionID+"/message",
		spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: text}}}, http.StatusOK, &reply)
	if len(reply) != 1 || reply[0].Info.Role != "assistant" {
		c.t.Fatalf("reply is not one assistant message: %+v", reply)
	}
	return reply[0].Text()
}

// file makes a sandbox file with the right size for content.
func file(name, path, content string) spec.SandboxFile {
	return spec.SandboxFile{Name: name, SandboxPath: path, Content: base64.StdEncoding.EncodeToString([]byte(content)), Size: int64(len(content))}
}

func ptr[T any](v T) *T { return &v }

// eventually polls cond until it holds, failing after a deadline.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !testutil.Eventually(20*time.Second, cond) {
		t.Fatalf("timed out waiting until %s", what)
	}
}

// readPID waits for a harness to write its pid to path.
func readPID(t testing.TB, path string) int {
	t.Helper()
	var pid int
	eventually(t, "the harness writes its pid", func() bool {
		b, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
		return err == nil && pid > 0
	})
	return pid
}

// waitGone waits until no process has pid.
func waitGone(t testing.TB, pid int) {
	t.Helper()
	eventually(t, fmt.Sprintf("process %d is gone", pid), func() bool {
		return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
	})
}

// rawHost sends a request with a chosen Host header (as a rebinding page's
// browser would) and returns the status and body.
func (c *apiClient) rawHost(method, path string, body any, host string, header http.Header) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if s, ok := body.(string); ok {
		rd = strings.NewReader(s)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header = header
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// noSandbox runs sessions unsandboxed, for tests that read a process's
// host pid from inside it ($$ is the sandbox's own pid otherwise).
var noSandbox = servertest.WithOptions(func(o *server.Options) { o.NoSandbox = true })

package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/internal/testutil"
	"lapctl/spec"
)

// refusingClient dials addr whatever host the URL names, counting dials.
func refusingClient(addr string, dials *atomic.Int32) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			dials.Add(1)
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
	}}
}

func TestRetryGETOnGatewayStatus(t *testing.T) {
	for _, status := range []int{502, 503, 504} {
		m := newMock(t)
		m.on(
			&route{method: "GET", path: "/api/agents/agent_1", status: status, resp: `{"error":"warming up"}`, times: 2},
			&route{method: "GET", path: "/api/agents/agent_1", resp: `{"id":"agent_1"}`},
		)
		a, err := m.client().GetAgent(context.Background(), "agent_1")
		if err != nil || a.ID != "agent_1" {
			t.Fatalf("status %d: GetAgent = %+v, %v", status, a, err)
		}
	}
}

func TestRetryGivesUp(t *testing.T) {
	for _, tc := range []struct {
		retries, calls int
	}{
		{0, 1 + client.DefaultRetries},
		{1, 2},
		{-1, 1},
	} {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/session/ses_1", status: 503,
			resp: `{"error":{"type":"server_error","message":"overloaded"}}`, times: tc.calls})
		_, err := m.client(func(o *client.Options) { o.Retries = tc.retries }).GetSession(context.Background(), "ses_1")
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 503 || ae.Message != "overloaded" {
			t.Errorf("Retries %d: err = %v, want the last 503", tc.retries, err)
		}
	}
}

func TestRetryDELETE(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "DELETE", path: "/session/ses_1", status: 502, rawResp: true, resp: "Bad Gateway"},
		&route{method: "DELETE", path: "/session/ses_1", resp: `true`},
	)
	if err := m.client().DeleteSession(context.Background(), "ses_1"); err != nil {
		t.Fatal(err)
	}
}

func TestNoRetryForNonIdempotentRequests(t *testing.T) {
	// Each route is served once; a retry would hit no route and fail the test.
	m := newMock(t)
	m.on(
		&route{method: "POST", path: "/api/agents", status: 503, anyBody: true, resp: `{"error":"unavailable"}`},
		&route{method: "PATCH", path: "/api/agents/agent_1", status: 502, anyBody: true, resp: `{"error":"bad gateway"}`},
		&route{method: "POST", path: "/session/ses_1/message", status: 504, anyBody: true, resp: `{"error":"timeout"}`},
		&route{method: "POST", path: "/api/agents/agent_1/pause", status: 503, resp: `{"error":"unavailable"}`},
		&route{method: "POST", path: "/session", status: 503, anyBody: true, resp: `{"error":"unavailable"}`},
	)
	c := m.client()
	ctx := context.Background()
	_, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "a", OwnerID: "o"})
	if client.StatusOf(err) != 503 || !strings.Contains(err.Error(), "unavailable") {
		t.Errorf("CreateAgent: %v", err)
	}
	if _, err := c.UpdateAgent(ctx, "agent_1", &spec.AgentPatch{Name: ptr("b")}); client.StatusOf(err) != 502 {
		t.Errorf("UpdateAgent: %v", err)
	}
	if _, err := c.SendMessage(ctx, "ses_1", "hi", ""); client.StatusOf(err) != 504 {
		t.Errorf("SendMessage: %v", err)
	}
	if _, err := c.PauseAgent(ctx, "agent_1"); client.StatusOf(err) != 503 {
		t.Errorf("PauseAgent: %v", err)
	}
	if _, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: "agent_1"}); client.StatusOf(err) != 503 {
		t.Errorf("CreateSession: %v", err)
	}
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	for _, status := range []int{400, 401, 404, 409, 429, 500} {
		m := newMock(t)
		m.on(&route{method: "GET", path: "/v1/models", status: status, resp: `{"error":"no"}`})
		if _, err := m.client().Models(context.Background()); client.StatusOf(err) != status {
			t.Errorf("status %d: err = %v", status, err)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	addr := testutil.FreeAddr(t)
	t.Run("loopback GET is retried, then names lapctl serve", func(t *testing.T) {
		var dials atomic.Int32
		c := newClient(t, "http://"+addr, func(o *client.Options) { o.HTTPClient = refusingClient(addr, &dials) })
		_, err := c.GetAgent(context.Background(), "agent_1")
		var ce *client.ConnError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v (%T), want *ConnError", err, err)
		}
		if ce.BaseURL != "http://"+addr || ce.Method != "GET" || ce.Path != "/api/agents/agent_1" {
			t.Errorf("ConnError = %+v", *ce)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("err does not unwrap to ECONNREFUSED: %v", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "cannot reach http://"+addr) || !strings.Contains(msg, "lapctl serve") {
			t.Errorf("message %q", msg)
		}
		if n := dials.Load(); n != 1+client.DefaultRetries {
			t.Errorf("%d dials, want %d", n, 1+client.DefaultRetries)
		}
	})
	t.Run("remote host gets no lapctl serve hint", func(t *testing.T) {
		var dials atomic.Int32
		// The name is never resolved: the transport dials the closed loopback port.
		c := newClient(t, "https://lap.example.test", func(o *client.Options) { o.HTTPClient = refusingClient(addr, &dials) })
		err := c.Health(context.Background())
		var ce *client.ConnError
		if !errors.As(err, &ce) || strings.Contains(err.Error(), "lapctl serve") || !strings.Contains(err.Error(), "cannot reach https://lap.example.test") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("POST is not retried", func(t *testing.T) {
		var dials atomic.Int32
		c := newClient(t, "http://"+addr, func(o *client.Options) { o.HTTPClient = refusingClient(addr, &dials) })
		_, err := c.CreateSkill(context.Background(), &spec.SkillSpec{Name: "n", Content: "c"})
		var ce *client.ConnError
		if !errors.As(err, &ce) || dials.Load() != 1 {
			t.Fatalf("err = %v after %d dials", err, dials.Load())
		}
	})
}

func TestCancelStopsRetrying(t *testing.T) {
	m := newMock(t)
	hit := make(chan struct{}, 8)
	r := &route{method: "GET", path: "/api/skills", times: -1, handler: func(w http.ResponseWriter, _ *http.Request) {
		hit <- struct{}{}
		w.WriteHeader(http.StatusServiceUnavailable)
	}}
	m.on(r)
	c := m.client(func(o *client.Options) { o.RetryWait, o.RetryMaxWait = 10*time.Second, 10*time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-hit
		time.Sleep(50 * time.Millisecond) // let the client start waiting to retry
		cancel()
	}()
	start := time.Now()
	_, err := c.ListSkills(ctx, "")
	elapsed := time.Since(start)
	if elapsed > 3*time.Second {
		t.Errorf("returned after %v; cancelling should stop the 10 s retry wait", elapsed)
	}
	// Cancelled while waiting to retry, or just as the 503 arrived.
	if !errors.Is(err, context.Canceled) && client.StatusOf(err) != 503 {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := m.Calls(r); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	m := newMock(t)
	r := &route{method: "GET", path: "/health", times: -1, resp: `{"status":"ok"}`}
	m.on(r)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := m.client().Health(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := m.Calls(r); n != 0 {
		t.Errorf("%d requests sent on a cancelled context", n)
	}
}

// hang is a handler that answers only when the client gives up (or the
// test ends).
func hang(t *testing.T) http.HandlerFunc {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
}

func TestTimeout(t *testing.T) {
	m := newMock(t)
	r := &route{method: "GET", path: "/api/agents/agent_1", times: -1, handler: hang(t)}
	m.on(r)
	const timeout = 300 * time.Millisecond
	c := m.client(func(o *client.Options) { o.Timeout = timeout })
	start := time.Now()
	_, err := c.GetAgent(context.Background(), "agent_1")
	elapsed := time.Since(start)
	if elapsed < timeout-50*time.Millisecond || elapsed > timeout+2*time.Second {
		t.Errorf("gave up after %v, want about %v", elapsed, timeout)
	}
	var ce *client.ConnError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ce) {
		t.Errorf("err = %v (%T), want a *ConnError wrapping DeadlineExceeded", err, err)
	}
	if n := m.Calls(r); n != 1 {
		t.Errorf("%d attempts; a request out of time is not retried", n)
	}
}

func TestHTTPClientTimeoutIsNotRetried(t *testing.T) {
	m := newMock(t)
	r := &route{method: "GET", path: "/v1/models", times: -1, handler: hang(t)}
	m.on(r)
	c := m.client(func(o *client.Options) { o.HTTPClient = &http.Client{Timeout: 150 * time.Millisecond} })
	start := time.Now()
	_, err := c.Models(context.Background())
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("gave up after %v", elapsed)
	}
	var ce *client.ConnError
	if !errors.As(err, &ce) {
		t.Errorf("err = %v (%T), want *ConnError", err, err)
	}
	if n := m.Calls(r); n != 1 {
		t.Errorf("%d attempts; a request out of time is not retried", n)
	}
}

func TestCallerDeadlineWins(t *testing.T) {
	m := newMock(t)
	m.on(&route{method: "GET", path: "/session", times: -1, handler: hang(t)})
	c := m.client(func(o *client.Options) { o.Timeout = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListSessions(ctx, "")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("gave up after %v, want about 200ms", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestSendMessageUsesMessageTimeout(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "POST", path: "/session/ses_1/message", anyBody: true, handler: func(w http.ResponseWriter, _ *http.Request) {
			time.Sleep(400 * time.Millisecond) // longer than Timeout, shorter than MessageTimeout
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `[{"info":{"role":"assistant"},"parts":[{"type":"text","text":"done"}]}]`)
		}},
		&route{method: "GET", path: "/session/ses_1/message", times: -1, handler: hang(t)},
	)
	c := m.client(func(o *client.Options) { o.Timeout, o.MessageTimeout = 150*time.Millisecond, 5*time.Second })
	msgs, err := c.SendMessage(context.Background(), "ses_1", "think hard", "")
	if err != nil || len(msgs) != 1 || msgs[0].Text() != "done" {
		t.Fatalf("SendMessage = %+v, %v", msgs, err)
	}
	if _, err := c.Messages(context.Background(), "ses_1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Messages (ordinary timeout) = %v", err)
	}
}

func TestDecodesJSONWhateverTheContentType(t *testing.T) {
	m := newMock(t)
	m.on(
		// A Go server that forgets the header sends text/plain (sniffed).
		&route{method: "GET", path: "/api/agents/agent_1", rawResp: true,
			header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, resp: `{"id":"agent_1","name":"a"}`},
		&route{method: "GET", path: "/session", rawResp: true, resp: `[{"id":"ses_1"}]`},
	)
	c := m.client()
	a, err := c.GetAgent(context.Background(), "agent_1")
	if err != nil || a.ID != "agent_1" || a.Name != "a" {
		t.Fatalf("GetAgent = %+v, %v", a, err)
	}
	ss, err := c.ListSessions(context.Background(), "")
	if err != nil || len(ss) != 1 || ss[0].ID != "ses_1" {
		t.Fatalf("ListSessions = %+v, %v", ss, err)
	}
}

func TestUnexpectedReplyIsNotAConnectionError(t *testing.T) {
	m := newMock(t)
	// Served once: a decode error must not be retried.
	m.on(&route{method: "GET", path: "/session/ses_1", resp: `{"id":42}`})
	_, err := m.client().GetSession(context.Background(), "ses_1")
	var ce *client.ConnError
	if err == nil || errors.As(err, &ce) || client.StatusOf(err) != 0 {
		t.Fatalf("err = %v (%T), want a decode error", err, err)
	}
	if !strings.Contains(err.Error(), "GET /session/ses_1") || !strings.Contains(err.Error(), "unexpected reply") {
		t.Errorf("message %q", err.Error())
	}
}

func TestEmptySuccessBody(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "DELETE", path: "/session/ses_1", status: http.StatusNoContent},
		&route{method: "DELETE", path: "/api/agents/agent_1", resp: ""},
	)
	c := m.client()
	if err := c.DeleteSession(context.Background(), "ses_1"); err != nil {
		t.Errorf("204: %v", err)
	}
	if err := c.DeleteAgent(context.Background(), "agent_1"); err != nil {
		t.Errorf("empty 200: %v", err)
	}
}

const (
	envSecret = "ENVSECRET-9d8c7b6a5f4e3d2c1b0a-MUST-NOT-LEAK"
	ttyToken  = "TTYTOKEN-c0ffee-4242-MUST-NOT-LEAK" // as in testdata/session_tui.json
)

func TestDebugLogMasksSecrets(t *testing.T) {
	m := newMock(t)
	m.on(
		&route{method: "POST", path: "/api/agents", status: 201,
			body: `{"name":"dbg","owner_id":"o","env_vars":{"DEPLOY_TOKEN":"` + envSecret + `"}}`,
			resp: `{"id":"agent_d","name":"dbg","env_vars":{"DEPLOY_TOKEN":"` + envSecret + `"}}`},
		&route{method: "GET", path: "/session/ses_9b1", resp: fixture(t, "session_tui.json")},
		&route{method: "POST", path: "/session", body: `{"agent_id":"agent_d","env_vars":{"DEPLOY_TOKEN":"` + envSecret + `"}}`,
			resp: fixture(t, "session_tui.json")},
		&route{method: "GET", path: "/api/agents/agent_x", status: 404,
			resp: `{"error":{"type":"not_found","message":"agent agent_x not found"}}`},
	)
	var debug testutil.SyncBuffer
	c := m.client(func(o *client.Options) { o.Debug = &debug })
	ctx := context.Background()
	var errs []error
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "dbg", OwnerID: "o", EnvVars: map[string]string{"DEPLOY_TOKEN": envSecret}})
	if err != nil || a.EnvVars["DEPLOY_TOKEN"] != envSecret {
		t.Fatalf("CreateAgent = %+v, %v (the caller still gets the real value)", a, err)
	}
	s, err := c.GetSession(ctx, "ses_9b1")
	if err != nil || s.TTYToken != ttyToken {
		t.Fatalf("GetSession = %+v, %v", s, err)
	}
	if _, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: "agent_d", EnvVars: map[string]string{"DEPLOY_TOKEN": envSecret}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetAgent(ctx, "agent_x")
	errs = append(errs, err)

	// A failing connection logs its attempts to Debug too.
	addr := testutil.FreeAddr(t)
	var dials atomic.Int32
	dead := newClient(t, "http://"+addr, func(o *client.Options) { o.Debug = &debug; o.HTTPClient = refusingClient(addr, &dials) })
	errs = append(errs, dead.Health(ctx))

	out := debug.String()
	for _, want := range []string{
		"POST  /api/agents", "GET  /session/ses_9b1", "POST  /session", "404 Not Found",
		"Authorization: Bearer ****", "User-Agent: lapctl/", "DEPLOY_TOKEN", `"name":"dbg"`,
		`"tty_url":"/session/ses_9b1/tty"`, "connection refused",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("debug output lacks %q", want)
		}
	}
	for _, secret := range []string{testKey, testKey[:4] + "*", testKey[4:], envSecret, envSecret[:12], ttyToken, ttyToken[5:]} {
		if strings.Contains(out, secret) {
			t.Errorf("debug output leaks %q", secret)
		}
	}
	if t.Failed() {
		t.Logf("debug output:\n%s", out)
	}
	for _, err := range errs {
		if err == nil || strings.Contains(err.Error(), testKey) {
			t.Errorf("error %v", err)
		}
	}
}

func TestNoErrorCarriesTheKey(t *testing.T) {
	ctx := context.Background()
	var errs []error

	m := newMock(t)
	m.on(
		&route{method: "GET", path: "/api/agents/agent_1", status: 401, resp: `{"error":{"type":"unauthorized","message":"wrong key"}}`},
		&route{method: "GET", path: "/api/agents/agent_2", status: 404, rawResp: true, resp: "not found"},
		&route{method: "GET", path: "/api/agents/agent_3", resp: `{"id":3}`},
		&route{method: "GET", path: "/api/agents", query: q("limit", "200", "search", "nobody"), resp: `{"agents":[],"total":0}`},
		&route{method: "GET", path: "/session/ses_1", times: -1, handler: hang(t)},
	)
	c := m.client(func(o *client.Options) { o.Timeout = 100 * time.Millisecond })
	for _, id := range []string{"agent_1", "agent_2", "agent_3"} {
		_, err := c.GetAgent(ctx, id)
		errs = append(errs, err)
	}
	_, err := c.ResolveAgent(ctx, "nobody")
	errs = append(errs, err)
	_, err = c.GetSession(ctx, "ses_1")
	errs = append(errs, err)

	addr := testutil.FreeAddr(t)
	var dials atomic.Int32
	errs = append(errs, newClient(t, "http://"+addr, func(o *client.Options) { o.HTTPClient = refusingClient(addr, &dials) }).Health(ctx))

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, testKey) || strings.Contains(msg, testKey[4:20]) {
			t.Errorf("case %d: error carries the key: %s", i, msg)
		}
	}
}

// resty's default logger writes every retry to os.Stderr; the client must
// keep quiet there (the console owns the screen), whatever goes wrong.
func TestNothingWrittenToStderr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	restore := func() { os.Stderr = saved }
	defer restore()

	m := newMock(t)
	m.on(&route{method: "GET", path: "/v1/models", status: 503, resp: `{}`, times: 1 + client.DefaultRetries},
		&route{method: "GET", path: "/session/ses_1", resp: `{"id":1}`})
	c := m.client() // built while os.Stderr is the pipe
	addr := testutil.FreeAddr(t)
	var dials atomic.Int32
	dead := newClient(t, "http://"+addr, func(o *client.Options) { o.HTTPClient = refusingClient(addr, &dials) })
	_, err1 := c.Models(context.Background())
	_, err2 := c.GetSession(context.Background(), "ses_1")
	err3 := dead.Health(context.Background())

	restore()
	w.Close()
	out, _ := io.ReadAll(r)
	r.Close()
	if len(out) > 0 {
		t.Errorf("the client wrote to stderr:\n%s", out)
	}
	if err1 == nil || err2 == nil || err3 == nil {
		t.Errorf("errors: %v, %v, %v", err1, err2, err3)
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// A page on evil.example that resolves to 127.0.0.1 reaches the port with
// its own name in Host, and the documented key does the rest: it must get
// nothing, not even a 401.
func TestHostCheckRefusesRebinding(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t)
	c := newClient(t, inst)
	port := inst.URL[strings.LastIndex(inst.URL, ":")+1:]
	auth := "Bearer " + inst.Key
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1.evil.example:" + port, "localhost.evil.example"} {
		h := http.Header{"Authorization": {auth}}
		status, body := c.rawHost("POST", "/api/agents", `{"name":"x","owner_id":"o"}`, host, h)
		if status != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: status %d, want 421; body %s", host, status, body)
			continue
		}
		if e := decodeError(t, body); !strings.Contains(e.Message, "--allowed-host") {
			t.Errorf("Host %s: message does not say what to do: %s", host, e.Message)
		}
	}
	var list spec.AgentList
	c.call("GET", "/api/agents", nil, http.StatusOK, &list)
	if len(list.Agents) != 0 {
		t.Fatalf("a refused request wrote an agent: %+v", list.Agents)
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port} {
		if status, body := c.rawHost("GET", "/api/agents", nil, host, http.Header{"Authorization": {auth}}); status != http.StatusOK {
			t.Errorf("Host %s: %d %s", host, status, body)
		}
	}
	// A cross-site page (Origin of another host) is refused on the API too.
	h := http.Header{"Authorization": {auth}, "Origin": {"http://evil.example:" + port}}
	if status, body := c.rawHost("GET", "/api/agents", nil, "127.0.0.1:"+port, h); status != http.StatusForbidden {
		t.Errorf("cross-site Origin: %d %s", status, body)
	}
	h.Set("Origin", "http://localhost:"+port)
	if status, body := c.rawHost("GET", "/api/agents", nil, "127.0.0.1:"+port, h); status != http.StatusOK {
		t.Errorf("loopback Origin: %d %s", status, body)
	}
}

func TestAllowedHostExtendsTheList(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.WithOptions(func(o *server.Options) {
		o.AllowedHosts = []string{"Console.Example.com"}
	}))
	c := newClient(t, inst)
	h := http.Header{"Authorization": {"Bearer " + inst.Key}}
	if status, body := c.rawHost("GET", "/api/agents", nil, "console.example.com:4000", h); status != http.StatusOK {
		t.Errorf("allowed host: %d %s", status, body)
	}
	if status, _ := c.rawHost("GET", "/api/agents", nil, "other.example.com", h); status != http.StatusMisdirectedRequest {
		t.Errorf("other host: %d", status)
	}
}

// The terminal upgrade answers only an Origin on the same list.
func TestTTYOriginUsesTheHostList(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t, servertest.WithHarnessCmd("claude-code", "cat"))
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "tty", Harness: "claude-code"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	c.waitStatus(s.ID, spec.SessionRunning)
	port := inst.URL[strings.LastIndex(inst.URL, ":")+1:]
	for origin, want := range map[string]int{
		"http://evil.example:" + port: http.StatusForbidden,
		"null":                        http.StatusForbidden,
		"http://localhost:" + port:    http.StatusSwitchingProtocols,
	} {
		conn, resp, err := websocket.DefaultDialer.Dial(wsURL(inst, s, s.TTYToken), http.Header{"Origin": {origin}})
		got := 0
		if resp != nil {
			got = resp.StatusCode
		}
		if conn != nil {
			conn.Close()
		}
		if got != want {
			t.Errorf("Origin %s: status %d (%v), want %d", origin, got, err, want)
		}
	}
}

package server_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// upstreams are loopback web servers standing in for the internet; hosts
// maps the names a session asks for to them, as a resolver would.
type upstreams struct {
	mu    sync.Mutex
	seen  []string // Host of every request that arrived
	hosts map[string]string
}

func startUpstreams(t *testing.T) *upstreams {
	t.Helper()
	u := &upstreams{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.seen = append(u.seen, r.Host)
		u.mu.Unlock()
		w.Write([]byte("hello from " + r.Host))
	})
	plain, tls := httptest.NewServer(h), httptest.NewTLSServer(h)
	t.Cleanup(plain.Close)
	t.Cleanup(tls.Close)
	u.hosts = map[string]string{}
	for _, name := range []string{"allowed.example", "api.allowed.example", "deny.allowed.example", "blocked.example"} {
		u.hosts[name+":80"] = plain.Listener.Addr().String()
		u.hosts[name+":443"] = tls.Listener.Addr().String()
	}
	return u
}

func (u *upstreams) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	to, ok := u.hosts[addr]
	if !ok {
		return nil, errors.New("no such host in the test resolver: " + addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

func (u *upstreams) reached(host string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, h := range u.seen {
		if strings.HasPrefix(h, host) {
			return true
		}
	}
	return false
}

// A sandboxed session has no network of its own: its only way out is the
// server's proxy, which lets allow_out through (HTTP and HTTPS, by
// CONNECT and SNI) and refuses the rest and deny_out.
func TestEgressAllowsAndBlocksByDomain(t *testing.T) {
	t.Parallel()
	up := startUpstreams(t)
	inst := servertest.Start(t, probeHarness, servertest.WithOptions(func(o *server.Options) { o.EgressDial = up.dial }))
	c, s := sandboxedSession(t, inst, spec.AgentSpec{Name: "net",
		AllowOut: []string{"allowed.example"}, DenyOut: []string{"deny.allowed.example"}})
	get := func(url string) string {
		return strings.TrimSpace(c.message(s.ID, `curl -sk -m 10 -o /dev/null -w '%{http_connect} %{http_code}' `+url+`; echo " rc=$?"`))
	}
	for url, want := range map[string]string{
		"http://allowed.example/":       "000 200 rc=0",
		"http://api.allowed.example/":   "000 200 rc=0",
		"https://allowed.example/":      "200 200 rc=0",
		"http://blocked.example/":       "000 403 rc=0",
		"https://blocked.example/":      "403 000 rc=56",
		"http://deny.allowed.example/":  "000 403 rc=0",
		"https://deny.allowed.example/": "403 000 rc=56",
	} {
		if got := get(url); got != want {
			t.Errorf("%s: %q, want %q", url, got, want)
		}
	}
	if up.reached("blocked.example") || up.reached("deny.allowed.example") {
		t.Errorf("a blocked request reached its server: %v", up.seen)
	}
	if !up.reached("allowed.example") {
		t.Errorf("allowed requests never arrived: %v", up.seen)
	}
	// Without the proxy there is no way out at all: no interface but lo.
	out := c.message(s.ID, `curl -s -m 5 --noproxy '*' http://`+up.hosts["allowed.example:80"]+`/ >/dev/null; echo "rc=$?"`)
	if strings.TrimSpace(out) == "rc=0" {
		t.Errorf("a session reached the network around the proxy: %s", out)
	}
}

// An empty allow list is no domain rule: everything but deny_out passes.
func TestEgressEmptyAllowListAllowsAll(t *testing.T) {
	t.Parallel()
	up := startUpstreams(t)
	inst := servertest.Start(t, probeHarness, servertest.WithOptions(func(o *server.Options) { o.EgressDial = up.dial }))
	c, s := sandboxedSession(t, inst, spec.AgentSpec{Name: "open", DenyOut: []string{"blocked.example"}})
	out := c.message(s.ID, `curl -s -m 10 http://allowed.example/; echo; curl -s -m 10 -o /dev/null -w '%{http_code}' http://blocked.example/`)
	if out != "hello from allowed.example\n403" {
		t.Errorf("got %q", out)
	}
}

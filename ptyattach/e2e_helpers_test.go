package ptyattach

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// shellServer starts the embedded server with /bin/sh as the claude-code
// (TUI) harness.
func shellServer(t *testing.T, opts ...servertest.Option) *servertest.Instance {
	t.Helper()
	return servertest.Start(t, append([]servertest.Option{servertest.WithHarnessCmd("claude-code", "/bin/sh")}, opts...)...)
}

// startShellSession creates a TUI agent, resumes it (new agents are
// paused) and starts a session on it.
func startShellSession(t testing.TB, c *client.Client) *spec.Session {
	t.Helper()
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "shell-" + t.Name(), OwnerID: "tester", Harness: "claude-code"})
	if err != nil {
		t.Fatalf("CreateAgent: %v", err)
	}
	if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
		t.Fatalf("ResumeAgent: %v", err)
	}
	s, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: "e2e"})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return s
}

// proxiedShell is a shell session reached through a proxy that can cut
// every connection, as a network failure would, and a local terminal to
// attach from.
type proxiedShell struct {
	inst *servertest.Instance
	p    *proxy
	sess *spec.Session
	lt   *localTerm
	opts Options // a reconnecting attach to sess through p, on lt
}

func newProxiedShell(t *testing.T) *proxiedShell {
	t.Helper()
	inst := shellServer(t)
	p := newProxy(t, hostOf(inst.URL))
	c := apitest.NewClient(t, p.url(), inst.Key)
	sess := startShellSession(t, c)
	lt := newLocalTerm(t)
	return &proxiedShell{inst: inst, p: p, sess: sess, lt: lt, opts: Options{
		Client: c, SessionID: sess.ID, In: lt.tty, Out: lt.tty, ErrOut: lt.tty, Reconnect: true,
	}}
}

// proxy is a TCP relay in front of a server: cut drops every connection
// without a WebSocket close, as a network failure or a crashed server
// would, and the target can move to a restarted server.
type proxy struct {
	ln     net.Listener
	target atomic.Value // string
	refuse atomic.Bool

	mu    sync.Mutex
	conns map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, conns: map[net.Conn]bool{}}
	p.target.Store(target)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *proxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.refuse.Load() {
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target.Load().(string))
		if err != nil {
			c.Close()
			continue
		}
		p.track(c, up)
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

func (p *proxy) track(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		p.conns[c] = true
	}
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func hostOf(u string) string { return u[len("http://"):] }

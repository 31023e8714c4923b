package server

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// egressDialTimeout bounds the proxy's connect to an upstream host.
const egressDialTimeout = 15 * time.Second

// egressPolicy is an agent's allow_out / deny_out. An entry names a
// domain and its subdomains ("example.com" covers api.example.com);
// "*.example.com" covers the subdomains only. Deny wins; an empty allow
// list means no domain-level allow rule (everything not denied).
type egressPolicy struct{ allow, deny []string }

// decide says whether host may be reached and, if not, why.
func (p egressPolicy) decide(host string) (bool, string) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range p.deny {
		if domainMatches(d, host) {
			return false, fmt.Sprintf("%s is blocked by deny_out entry %q", host, d)
		}
	}
	if len(p.allow) == 0 {
		return true, ""
	}
	for _, d := range p.allow {
		if domainMatches(d, host) {
			return true, ""
		}
	}
	return false, fmt.Sprintf("%s is not in the agent's allow_out list", host)
}

func domainMatches(rule, host string) bool {
	rule = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(rule)), ".")
	if sub, ok := strings.CutPrefix(rule, "*."); ok {
		return strings.HasSuffix(host, "."+sub)
	}
	return rule != "" && (host == rule || strings.HasSuffix(host, "."+rule))
}

// egressProxy is the only way out of a sandbox: an HTTP proxy on one Unix
// socket per session, which allows or denies each connection by domain:
// the CONNECT target, and for TLS the ClientHello's SNI too, so a tunnel
// opened to an allowed name cannot carry a request for another.
type egressProxy struct {
	dir  string // private directory of the sockets (short: sun_path is 108 bytes)
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
	log  *slog.Logger
}

func newEgressProxy(dial func(ctx context.Context, network, addr string) (net.Conn, error), log *slog.Logger) (*egressProxy, error) {
	dir, err := os.MkdirTemp("", "lapctl-egress-")
	if err != nil {
		return nil, fmt.Errorf("egress proxy: %w", err)
	}
	if dial == nil {
		dial = (&net.Dialer{Timeout: egressDialTimeout, Control: refuseHostOnly}).DialContext
	}
	return &egressProxy{dir: dir, dial: dial, log: log}, nil
}

func (e *egressProxy) close() { _ = os.RemoveAll(e.dir) }

// sessionEgress is one session's proxy listener.
type sessionEgress struct {
	ln    net.Listener
	path  string
	conns sync.WaitGroup
}

// listen opens session id's socket and serves it with policy until close.
func (e *egressProxy) listen(id string, policy egressPolicy) (*sessionEgress, error) {
	path := filepath.Join(e.dir, id+".sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, setupErrorf("cannot open the session's egress proxy socket: %v", err)
	}
	se := &sessionEgress{ln: ln, path: path}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			se.conns.Add(1)
			go func() {
				defer se.conns.Done()
				e.serve(c, id, policy)
			}()
		}
	}()
	return se, nil
}

func (se *sessionEgress) close() {
	_ = se.ln.Close()
	_ = os.Remove(se.path)
	_ = os.RemoveAll(ctlDir(se.path)) // an API session's command socket
}

// serve answers one proxy connection: CONNECT host:port, or one plain
// HTTP request in absolute form (then the connection closes, so a second
// request cannot name another host).
func (e *egressProxy) serve(c net.Conn, sessionID string, policy egressPolicy) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReaderSize(c, 5+1<<14) // room for a whole TLS record: the ClientHello
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	host, port := req.URL.Hostname(), req.URL.Port()
	if req.Method == http.MethodConnect {
		host, port, _ = net.SplitHostPort(req.Host)
	}
	if host == "" {
		refuse(c, http.StatusBadRequest, "lapctl egress: the request names no host (send absolute-form requests or CONNECT)")
		return
	}
	if port == "" {
		port = "80"
		if req.URL.Scheme == "https" {
			port = "443"
		}
	}
	if why := hostOnlyTarget(host); why != "" {
		e.log.Info("egress denied", "session", sessionID, "host", host, "why", why)
		refuse(c, http.StatusForbidden, "lapctl egress: "+why)
		return
	}
	if ok, why := policy.decide(host); !ok {
		e.log.Info("egress denied", "session", sessionID, "host", host, "why", why)
		refuse(c, http.StatusForbidden, "lapctl egress: "+why)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), egressDialTimeout)
	up, err := e.dial(ctx, "tcp", net.JoinHostPort(host, port))
	cancel()
	if err != nil {
		refuse(c, http.StatusBadGateway, fmt.Sprintf("lapctl egress: cannot reach %s: %v", host, err))
		return
	}
	defer up.Close()
	e.log.Debug("egress allowed", "session", sessionID, "host", host, "method", req.Method)
	if req.Method == http.MethodConnect {
		if _, err := c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
			return
		}
		if !e.checkSNI(br, sessionID, policy) {
			return
		}
		pipe(bufferedConn{c, br}, up)
		return
	}
	req.Header.Del("Proxy-Connection")
	req.Header.Del("Proxy-Authorization")
	req.Close = true
	if err := req.Write(up); err != nil {
		return
	}
	pipe(bufferedConn{c, br}, up)
}

// checkSNI peeks at a tunnel's first bytes: if they are a TLS ClientHello
// naming a server, that name must pass the policy too.
func (e *egressProxy) checkSNI(br *bufio.Reader, sessionID string, policy egressPolicy) bool {
	name, ok := peekSNI(br)
	if !ok || name == "" {
		return true // not TLS, or no SNI: the CONNECT host was checked
	}
	if allowed, why := policy.decide(name); !allowed {
		e.log.Info("egress denied by SNI", "session", sessionID, "sni", name, "why", why)
		return false
	}
	return true
}

func refuse(c net.Conn, status int, msg string) {
	fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n",
		status, http.StatusText(status), len(msg)+1, msg)
}

// bufferedConn reads through the bufio.Reader that already holds bytes
// read past the request head.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

func (b bufferedConn) CloseWrite() error {
	if cw, ok := b.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

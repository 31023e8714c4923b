package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A tunnel opened to an allowed name must not carry a TLS handshake for a
// blocked one: the SNI is checked against the policy too.
func TestEgressChecksSNIInsideCONNECT(t *testing.T) {
	t.Parallel()
	up := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret page") }))
	defer up.Close()
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, up.Listener.Addr().String())
	}
	e, err := newEgressProxy(dial, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	se, err := e.listen("ses_sni", egressPolicy{allow: []string{"allowed.example"}})
	if err != nil {
		t.Fatal(err)
	}
	defer se.close()

	fetch := func(sni string) (string, error) {
		c, err := net.Dial("unix", se.path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "CONNECT allowed.example:443 HTTP/1.1\r\nHost: allowed.example:443\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("CONNECT to an allowed host: %v %v", resp, err)
		}
		tc := tls.Client(c, &tls.Config{ServerName: sni, InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			return "", err
		}
		io.WriteString(tc, "GET / HTTP/1.1\r\nHost: "+sni+"\r\nConnection: close\r\n\r\n")
		b, _ := io.ReadAll(tc)
		return string(b), nil
	}
	if body, err := fetch("allowed.example"); err != nil || !strings.Contains(body, "secret page") {
		t.Errorf("matching SNI: %q, %v", body, err)
	}
	if body, err := fetch("blocked.example"); err == nil {
		t.Errorf("SNI blocked.example through a tunnel to allowed.example got through: %q", body)
	}
}

func TestEgressPolicyMatching(t *testing.T) {
	t.Parallel()
	p := egressPolicy{allow: []string{"example.com", "*.cdn.net"}, deny: []string{"evil.example.com"}}
	for host, want := range map[string]bool{
		"example.com": true, "API.Example.com.": true, "evil.example.com": false, "x.evil.example.com": false,
		"notexample.com": false, "a.cdn.net": true, "cdn.net": false, "other.org": false,
	} {
		if got, why := p.decide(host); got != want {
			t.Errorf("%s: %v (%s), want %v", host, got, why, want)
		}
	}
	if ok, _ := (egressPolicy{}).decide("anything.org"); !ok {
		t.Error("an empty policy must allow every domain")
	}
}

// The proxy never leads back into the server's host: loopback and
// link-local targets are refused by address, and a name that resolves to
// one is refused when dialled.
func TestEgressRefusesTheServersOwnHost(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "lapctl API") }))
	defer api.Close()
	e, err := newEgressProxy(nil, slog.New(slog.NewTextHandler(io.Discard, nil))) // the real dialer
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	se, err := e.listen("ses_loop", egressPolicy{}) // no domain rule at all
	if err != nil {
		t.Fatal(err)
	}
	defer se.close()
	_, port, _ := net.SplitHostPort(api.Listener.Addr().String())
	for _, target := range []string{"127.0.0.1:" + port, "[::1]:" + port, "localhost:" + port, "169.254.169.254:80", "0.0.0.0:" + port} {
		c, err := net.Dial("unix", se.path)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "CONNECT "+target+" HTTP/1.1\r\nHost: "+target+"\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		c.Close()
		if err != nil || resp.StatusCode == http.StatusOK {
			t.Errorf("CONNECT %s: %v %v, want a refusal", target, resp, err)
		}
	}
	// A name resolving to loopback is refused by the dialer.
	if err := refuseHostOnly("tcp", "127.0.0.1:80", nil); err == nil {
		t.Error("the dialer would connect to loopback")
	}
	if err := refuseHostOnly("tcp", "10.1.2.3:80", nil); err != nil {
		t.Errorf("a private address is refused: %v", err)
	}
}

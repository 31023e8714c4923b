package server

import (
	"fmt"
	"net"
	"strings"
	"syscall"
)

// A sandbox must not reach the server host's own services through the
// proxy (the lapctl API, other sessions' terminals, anything bound to
// loopback) nor link-local ones (cloud metadata at 169.254.169.254).
// Private networks stay reachable: an agent may need an internal git
// server, and allow_out / deny_out govern those by name.

// hostOnlyTarget refuses a CONNECT or request naming such an address.
func hostOnlyTarget(host string) string {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return host + " is this server's own host: sessions cannot reach it"
	}
	if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil && hostOnlyIP(ip) {
		return fmt.Sprintf("%s is a loopback or link-local address of the server's host: sessions cannot reach it", host)
	}
	return ""
}

func hostOnlyIP(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast()
}

// refuseHostOnly is the proxy dialer's check of the address a name
// resolved to: an allowed name that resolves to 127.0.0.1 is refused too.
func refuseHostOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip != nil && hostOnlyIP(ip) {
		return fmt.Errorf("%s is a loopback or link-local address of the server's host: sessions cannot reach it", host)
	}
	return nil
}

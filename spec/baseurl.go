package spec

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultBaseURL is the contract's default server (API.md, Basics).
const DefaultBaseURL = "http://localhost:4000"

// ParseBaseURL checks that raw is an http(s) URL with a host. It lives
// here, below both client and config, so neither imports the other.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not a server URL: use http(s)://host[:port], e.g. %s", raw, DefaultBaseURL)
	}
	return u, nil
}

// IsLoopbackURL reports whether raw points at this machine.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}

// IsLoopbackHost reports whether host is localhost or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

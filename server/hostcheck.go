package server

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"lapctl/spec"
)

// loopbackHosts are the names a browser uses for this machine. A DNS
// rebinding page reaches a loopback port under its own domain, so its
// requests carry that domain in Host; these names are the only ones a
// page on this machine can legitimately use.
var loopbackHosts = []string{"127.0.0.1", "::1", "localhost"}

// hostPolicy decides which Host and Origin names a server answers.
type hostPolicy struct {
	// names are lower-case host names without port; empty means any
	// (a non-loopback listener given no --allowed-host: its key guards it).
	names []string
}

// newHostPolicy builds the policy for a listen address. On a loopback
// listener the loopback names are always allowed, plus extra; elsewhere
// only extra restricts (with the loopback names, for local probes).
func newHostPolicy(listen string, extra []string) hostPolicy {
	var names []string
	for _, h := range extra {
		if h = normalizeHost(h); h != "" {
			names = append(names, h)
		}
	}
	if isLoopback(listen) || len(names) > 0 {
		names = append(names, loopbackHosts...)
	}
	return hostPolicy{names: names}
}

// normalizeHost strips a port and IPv6 brackets and lower-cases.
func normalizeHost(hostport string) string {
	h := strings.TrimSpace(hostport)
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

func (p hostPolicy) allows(hostport string) bool {
	return len(p.names) == 0 || slices.Contains(p.names, normalizeHost(hostport))
}

// allowsOrigin accepts no Origin (not a browser) or an http(s) origin on
// an allowed host; "null" (sandboxed frames, file://) is refused.
func (p hostPolicy) allowsOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	if len(p.names) == 0 {
		return strings.EqualFold(u.Host, r.Host) // no list: same origin only
	}
	return p.allows(u.Host)
}

// checkHost refuses requests whose Host or Origin is not on the list,
// before the key is even looked at: a rebinding page must learn nothing.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allows(r.Host) {
			s.serveError(w, r, newAPIError(http.StatusMisdirectedRequest, spec.ErrUnauthorized, "",
				"host %q is not served here: use http://127.0.0.1, http://[::1] or http://localhost with the port, or start the server with --allowed-host %s", r.Host, normalizeHost(r.Host)))
			return
		}
		if !s.hosts.allowsOrigin(r) {
			s.serveError(w, r, newAPIError(http.StatusForbidden, spec.ErrUnauthorized, "",
				"cross-site request refused: Origin %s is not an allowed host (allowed: %s; add one with --allowed-host)", r.Header.Get("Origin"), strings.Join(s.hosts.names, ", ")))
			return
		}
		w.Header().Set(SandboxHeader, s.sandboxMode())
		next.ServeHTTP(w, r)
	})
}

// SandboxHeader tells a client (ssh-serve) whether this server's sessions
// run sandboxed: "required" (every session, or it fails) or "off"
// (--no-sandbox). A server without it is not lapctl's.
const SandboxHeader = "Lapctl-Sandbox"

func (s *Server) sandboxMode() string {
	if s.opts.NoSandbox {
		return "off"
	}
	return "required"
}

package client

import (
	"context"
	"net/http"
)

// ServerStatus is what `lapctl status` reports about a server.
type ServerStatus struct {
	Platform Platform
	// Source is SourceForced or SourceProbed (status always probes
	// unless forced).
	Source string
	// KeyValid is nil when unknown (the server could not be asked).
	KeyValid *bool
	// Version is the server's version where its /health says one.
	Version string
}

// Status probes the server afresh and checks the key with one cheap,
// side-effect-free authenticated GET.
func (c *Client) Status(ctx context.Context) (*ServerStatus, error) {
	p, err := c.Reprobe(ctx)
	st := &ServerStatus{Platform: p, Source: c.PlatformSource()}
	if p == PlatformUnknown {
		if IsUnauthorized(err) {
			st.KeyValid = boolPtr(false)
			return st, nil
		}
		return st, err
	}
	_, err = c.ListAgents(ctx, ListAgentsParams{Limit: 1})
	switch {
	case err == nil:
		st.KeyValid = boolPtr(true)
	case IsUnauthorized(err):
		st.KeyValid = boolPtr(false)
	default:
		return st, err
	}
	var health struct {
		Version string `json:"version"`
	}
	if c.do(ctx, call{method: http.MethodGet, path: "/health", result: &health}) == nil {
		st.Version = health.Version
	}
	return st, nil
}

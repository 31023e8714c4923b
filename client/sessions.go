package client

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"lapctl/spec"
)

// CreateSession validates and starts a session of s.AgentID. Where the
// platform binds sessions by something else (gateway: agent, managed:
// the agent's path) the dialect looks the agent up.
func (c *Client) CreateSession(ctx context.Context, s *spec.SessionSpec) (*spec.Session, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return run(c, ctx, func(d dialect) (*spec.Session, error) { return d.createSession(ctx, s, nil) })
}

// ListSessions lists sessions, of one agent when agentID is set (filtered
// here where the server ignores the filter).
func (c *Client) ListSessions(ctx context.Context, agentID string) ([]spec.Session, error) {
	out, err := run(c, ctx, func(d dialect) ([]spec.Session, error) { return d.listSessions(ctx, agentID) })
	if err == nil && out == nil {
		out = []spec.Session{}
	}
	return out, err
}

// GetSession fetches one session.
func (c *Client) GetSession(ctx context.Context, id string) (*spec.Session, error) {
	return run(c, ctx, func(d dialect) (*spec.Session, error) { return d.getSession(ctx, id) })
}

// DeleteSession stops a session; stopping one already stopped is no error.
func (c *Client) DeleteSession(ctx context.Context, id string) error {
	_, err := run(c, ctx, func(d dialect) (struct{}, error) { return struct{}{}, d.deleteSession(ctx, id) })
	return err
}

// SendMessage sends text to a session and returns the reply messages.
// modelID may be empty (the session's, or on the gateway the agent's,
// model). Where the platform answers asynchronously (gateway) it waits
// for the reply; either way it may take minutes: its timeout is
// MessageTimeout unless ctx has a deadline.
func (c *Client) SendMessage(ctx context.Context, id, text, modelID string) ([]spec.Message, error) {
	if strings.TrimSpace(text) == "" {
		return nil, spec.Errors{{Field: "parts", Rule: spec.RuleRequired, Message: "the message is empty: type something to send"}}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.messageTimeout)
		defer cancel()
	}
	return run(c, ctx, func(d dialect) ([]spec.Message, error) {
		return d.sendMessage(ctx, &spec.Session{ID: id}, text, modelID)
	})
}

// Messages fetches a session's message history.
func (c *Client) Messages(ctx context.Context, id string) ([]spec.Message, error) {
	return run(c, ctx, func(d dialect) ([]spec.Message, error) { return d.messages(ctx, id) })
}

// TTYURL turns a session's tty_url into an absolute ws(s) URL: a relative
// path joins the base URL, and http(s) becomes ws(s). The token is not
// added; ptyattach sends it.
func (c *Client) TTYURL(s *spec.Session) (string, error) {
	if s.TTYURL == "" {
		return "", fmt.Errorf("session %s has no tty_url: its harness (%s) is not a TUI harness; send it messages instead", s.ID, s.Harness)
	}
	return ResolveTTYURL(c.base, s.TTYURL)
}

// ResolveTTYURL resolves raw against base and maps http(s) to ws(s).
func ResolveTTYURL(base *url.URL, raw string) (string, error) {
	ref, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("tty_url %q is not a URL: %w", raw, err)
	}
	u := base.ResolveReference(ref)
	if !ref.IsAbs() && strings.HasPrefix(raw, "/") && base.Path != "" && base.Path != "/" {
		// Keep a base URL's path prefix (a platform behind /lap/): ResolveReference would drop it.
		u.Path = strings.TrimRight(base.Path, "/") + ref.Path
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("tty_url %q has scheme %q: want ws, wss, http or https", raw, u.Scheme)
	}
	return u.String(), nil
}

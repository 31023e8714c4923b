package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"lapctl/spec"
)

// CreateSession validates and starts a session.
func (c *Client) CreateSession(ctx context.Context, s *spec.SessionSpec) (*spec.Session, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var out spec.Session
	if err := c.do(ctx, call{method: http.MethodPost, path: "/session", body: s, result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListSessions lists sessions, of one agent when agentID is set.
func (c *Client) ListSessions(ctx context.Context, agentID string) ([]spec.Session, error) {
	var q url.Values
	if agentID != "" {
		q = url.Values{"agent_id": {agentID}}
	}
	var out []spec.Session
	if err := c.do(ctx, call{method: http.MethodGet, path: "/session", query: q, result: &out}); err != nil {
		return nil, err
	}
	if out == nil {
		out = []spec.Session{}
	}
	return out, nil
}

// GetSession fetches one session.
func (c *Client) GetSession(ctx context.Context, id string) (*spec.Session, error) {
	var out spec.Session
	if err := c.do(ctx, call{method: http.MethodGet, path: "/session/" + escape(id), result: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSession stops a session; stopping one already stopped is no error.
func (c *Client) DeleteSession(ctx context.Context, id string) error {
	// The body ({"ok":true} or true) is not decoded: a 2xx is the answer.
	return c.do(ctx, call{method: http.MethodDelete, path: "/session/" + escape(id)})
}

// SendMessage sends text to an API-harness session and returns the reply
// messages. modelID may be empty (the session's model). It may take
// minutes: its timeout is MessageTimeout unless ctx has a deadline.
func (c *Client) SendMessage(ctx context.Context, id, text, modelID string) ([]spec.Message, error) {
	if strings.TrimSpace(text) == "" {
		return nil, spec.Errors{{Field: "parts", Rule: spec.RuleRequired, Message: "the message is empty: type something to send"}}
	}
	body := spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: text}}}
	if modelID != "" {
		body.Model = &spec.MessageModel{ModelID: modelID}
	}
	var out []spec.Message
	err := c.do(ctx, call{method: http.MethodPost, path: "/session/" + escape(id) + "/message", body: body, result: &out, timeout: c.messageTimeout})
	return out, err
}

// Messages fetches a session's message history.
func (c *Client) Messages(ctx context.Context, id string) ([]spec.Message, error) {
	var out []spec.Message
	err := c.do(ctx, call{method: http.MethodGet, path: "/session/" + escape(id) + "/message", result: &out})
	return out, err
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

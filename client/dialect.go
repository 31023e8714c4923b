package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"lapctl/spec"
)

// dialect is one platform generation's wire protocol. The Client's
// methods validate, dispatch to it, and map nothing themselves: each
// dialect turns its server's objects into spec types (Raw kept).
type dialect interface {
	listAgents(ctx context.Context, p ListAgentsParams) (*AgentPage, error)
	getAgent(ctx context.Context, id string) (*spec.Agent, error)
	createAgent(ctx context.Context, s *spec.AgentSpec) (*spec.Agent, error)
	updateAgent(ctx context.Context, id string, p *spec.AgentPatch) (*spec.Agent, error)
	deleteAgent(ctx context.Context, id string) error
	agentAction(ctx context.Context, id, action string) (*spec.AgentStatus, error)

	createSession(ctx context.Context, s *spec.SessionSpec, a *spec.Agent) (*spec.Session, error)
	listSessions(ctx context.Context, agentID string) ([]spec.Session, error)
	getSession(ctx context.Context, id string) (*spec.Session, error)
	deleteSession(ctx context.Context, id string) error
	sendMessage(ctx context.Context, s *spec.Session, text, modelID string) ([]spec.Message, error)
	messages(ctx context.Context, id string) ([]spec.Message, error)

	harnesses(ctx context.Context) ([]spec.Harness, error)
}

// How the platform became known, for `lapctl status`.
const (
	SourceForced = "forced"
	SourceCached = "cached"
	SourceProbed = "probed"
)

// detector holds the learned platform. mu guards the state and is held
// only briefly (a console may ask Platform while rendering); probing
// serializes probes.
type detector struct {
	probing  sync.Mutex
	mu       sync.Mutex
	platform Platform
	source   string
	forced   bool
	onProbe  func(Platform)
}

func (d *detector) init(opts Options) {
	d.onProbe = opts.OnProbe
	switch {
	case opts.Platform != PlatformUnknown:
		d.platform, d.source, d.forced = opts.Platform, SourceForced, true
	case opts.CachedPlatform != PlatformUnknown:
		d.platform, d.source = opts.CachedPlatform, SourceCached
	}
}

// Platform is the dialect known so far, without I/O: PlatformUnknown
// before the first call (see Detect).
func (c *Client) Platform() Platform {
	c.detect.mu.Lock()
	defer c.detect.mu.Unlock()
	return c.detect.platform
}

// PlatformSource says how the platform became known: SourceForced,
// SourceCached, SourceProbed, or "" while unknown.
func (c *Client) PlatformSource() string {
	c.detect.mu.Lock()
	defer c.detect.mu.Unlock()
	return c.detect.source
}

// Capabilities are the known platform's (the lapctl dialect's while
// unknown: call Detect first where it matters).
func (c *Client) Capabilities() Capabilities { return CapabilitiesOf(c.Platform()) }

// Detect returns the platform, probing the server once if nothing forced
// or cached it.
func (c *Client) Detect(ctx context.Context) (Platform, error) {
	if p := c.Platform(); p != PlatformUnknown {
		return p, nil
	}
	c.detect.probing.Lock()
	defer c.detect.probing.Unlock()
	if p := c.Platform(); p != PlatformUnknown {
		return p, nil // another caller probed meanwhile
	}
	// A probe refused with 401 may still have learned the dialect (from
	// the error's shape): keep it, and return the refusal.
	p, err := c.probe(ctx)
	if p == PlatformUnknown {
		return p, err
	}
	c.detect.mu.Lock()
	c.detect.platform, c.detect.source = p, SourceProbed
	c.detect.mu.Unlock()
	if c.detect.onProbe != nil {
		c.detect.onProbe(p)
	}
	return p, err
}

// redetect probes again after a call failed as if the server were
// another one; it reports whether the platform changed. A forced
// platform is never second-guessed.
func (c *Client) redetect(ctx context.Context, was Platform) bool {
	c.detect.mu.Lock()
	if c.detect.forced || c.detect.platform != was {
		changed := c.detect.platform != was
		c.detect.mu.Unlock()
		return changed
	}
	c.detect.platform = PlatformUnknown
	c.detect.mu.Unlock()
	p, err := c.Detect(ctx)
	if err != nil {
		c.detect.mu.Lock()
		if c.detect.platform == PlatformUnknown {
			c.detect.platform = was
		}
		c.detect.mu.Unlock()
		return false
	}
	return p != was
}

// probe learns the dialect with GETs only. /api/agents tells lapctl
// (paged: total) from gateway ({"agents"} alone, or its gateway_error
// shape); a miss there (404, or the gateway web UI's HTML) tries the
// managed path.
func (c *Client) probe(ctx context.Context) (Platform, error) {
	var raw json.RawMessage
	err := c.do(ctx, call{method: http.MethodGet, path: "/api/agents", query: map[string][]string{"limit": {"1"}}, result: &raw})
	if err == nil {
		var list map[string]json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			if _, ok := list["total"]; ok {
				return PlatformLapctl, nil
			}
			if _, ok := list["agents"]; ok {
				return PlatformGateway, nil
			}
		}
	}
	var ae *APIError
	if err != nil && !errors.As(err, &ae) {
		return PlatformUnknown, err // unreachable: nothing learned
	}
	if ae != nil && ae.Type == "gateway_error" {
		return PlatformGateway, nil
	}
	if ae != nil && ae.StatusCode == http.StatusUnauthorized && ae.typed {
		// lapctl's own 401 names its type (the gateway's is gateway_error).
		return PlatformLapctl, ae
	}
	merr := c.do(ctx, call{method: http.MethodGet, path: managedPrefix + "/agents", query: map[string][]string{"limit": {"1"}}, result: &raw})
	if merr == nil {
		var list map[string]json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			if _, ok := list["data"]; ok {
				return PlatformManaged, nil
			}
		}
	}
	if IsUnauthorized(merr) && !IsUnauthorized(err) {
		return PlatformManaged, merr
	}
	if err == nil || (ae != nil && ae.HTML) {
		// /api/agents answered, though in no known list shape, or the
		// web UI answered for it: the gateway is the one with a web UI.
		return PlatformGateway, nil
	}
	if IsUnauthorized(err) {
		return PlatformUnknown, err
	}
	return PlatformLapctl, nil
}

// dialect returns the implementation for the (possibly probed) platform.
func (c *Client) dialect(ctx context.Context) (dialect, Platform, error) {
	p, err := c.Detect(ctx)
	if p == PlatformUnknown {
		return nil, p, err
	}
	// A 401 during the probe: the call itself will say so.
	return c.dialectFor(p), p, nil
}

func (c *Client) dialectFor(p Platform) dialect {
	switch p {
	case PlatformGateway:
		return &gatewayDialect{c: c}
	case PlatformManaged:
		return &managedDialect{c: c}
	}
	return &lapctlDialect{c: c}
}

// suggestsOtherServer reports a failure that a server of another dialect
// would give for this one's route: a 404 (the route is unknown) or a web
// page where JSON was expected.
func suggestsOtherServer(err error) bool {
	var mm *mismatchError
	if errors.As(err, &mm) {
		return true
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.HTML || (ae.StatusCode == http.StatusNotFound && !ae.jsonBody)
}

// run calls fn on the platform's dialect; when it fails as if the
// server were another one, it probes again and, if the dialect changed,
// runs fn once more on the new one (the first call reached no route, so
// nothing took effect).
func run[T any](c *Client, ctx context.Context, fn func(d dialect) (T, error)) (T, error) {
	d, p, err := c.dialect(ctx)
	if d == nil || (err != nil && p == PlatformUnknown) {
		var zero T
		return zero, err
	}
	out, err := fn(d)
	if err != nil && suggestsOtherServer(err) && c.redetect(ctx, p) {
		d, _, derr := c.dialect(ctx)
		if derr != nil {
			return out, err
		}
		return fn(d)
	}
	return out, err
}

// need refuses, before sending, a call the platform cannot serve.
func (c *Client) need(ctx context.Context, what string, has func(Capabilities) bool) error {
	p, err := c.Detect(ctx)
	if p == PlatformUnknown {
		return err
	}
	if !has(CapabilitiesOf(p)) {
		return &UnsupportedError{Platform: p, Capability: what}
	}
	return nil
}

// Reprobe learns the platform afresh (unless forced), replacing a
// cached one; OnProbe hears the result.
func (c *Client) Reprobe(ctx context.Context) (Platform, error) {
	c.detect.mu.Lock()
	if !c.detect.forced {
		c.detect.platform, c.detect.source = PlatformUnknown, ""
	}
	c.detect.mu.Unlock()
	return c.Detect(ctx)
}

// mismatchError is a reply in another dialect's shape (an agent list
// with or without paging where this dialect expects the other).
type mismatchError struct {
	method, path, what string
}

func (e *mismatchError) Error() string {
	return fmt.Sprintf("%s %s: the server answered %s: it speaks another dialect than the one cached for it (try --platform)", e.method, e.path, e.what)
}

func (c *Client) forced() bool {
	c.detect.mu.Lock()
	defer c.detect.mu.Unlock()
	return c.detect.forced
}

// Package client is the typed API client for the LiteLLM Agent Platform,
// built on resty. One facade (*Client) speaks three dialects: lapctl
// (the embedded server, ../shared/API.md), gateway and managed (the
// hosted platform's two generations, ../shared/PLATFORM.md). It learns
// which by probing, maps each server's objects into spec types, says
// what each platform keeps (Capabilities), and compares what a write
// sent with what came back (CompareCreate, ComparePatch).
//
// It imports spec, secret and version only: never config (callers pass
// plain values) nor anything above it; a test checks this.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"lapctl/spec"
	"lapctl/version"
)

// Defaults for Options.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMessageTimeout = 10 * time.Minute
	DefaultRetries        = 3
)

// Options configure a Client.
type Options struct {
	BaseURL string
	APIKey  string
	// HTTPClient replaces the transport (tests inject one); nil uses
	// resty's own.
	HTTPClient *http.Client
	// Timeout bounds each request that carries no deadline of its own.
	Timeout time.Duration
	// MessageTimeout bounds a message to an API harness, which may think
	// for minutes.
	MessageTimeout time.Duration
	// Retries is how often an idempotent request is retried on a
	// connection error or a 502/503/504; negative disables retries.
	Retries      int
	RetryWait    time.Duration
	RetryMaxWait time.Duration
	UserAgent    string
	// Debug, when set, receives each request and response with the key,
	// tokens and env var values masked.
	Debug io.Writer
	// Platform forces a dialect (--platform, a context's platform:); the
	// zero value probes on first contact.
	Platform Platform
	// CachedPlatform is a dialect learned earlier for this URL: used
	// without probing, and probed again if the server stops matching it.
	CachedPlatform Platform
	// OnProbe is told each dialect a probe learns, so the caller can
	// cache it with the URL.
	OnProbe func(Platform)
}

// Client talks to one platform server.
type Client struct {
	r              *resty.Client
	base           *url.URL
	timeout        time.Duration
	messageTimeout time.Duration
	hasKey         bool
	detect         detector
}

// New builds a client. It does no I/O.
func New(opts Options) (*Client, error) {
	base, err := spec.ParseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	var r *resty.Client
	if opts.HTTPClient != nil {
		r = resty.NewWithClient(opts.HTTPClient)
	} else {
		r = resty.New()
	}
	c := &Client{
		r:              r,
		base:           base,
		timeout:        orDefault(opts.Timeout, DefaultTimeout),
		messageTimeout: orDefault(opts.MessageTimeout, DefaultMessageTimeout),
		hasKey:         opts.APIKey != "",
	}
	c.detect.init(opts)
	retries := opts.Retries
	if retries == 0 {
		retries = DefaultRetries
	}
	r.SetBaseURL(base.String()).
		SetHeader("User-Agent", orDefault(opts.UserAgent, version.UserAgent())).
		SetHeader("Accept", "application/json").
		SetRetryCount(max(retries, 0)).
		SetRetryWaitTime(orDefault(opts.RetryWait, 200*time.Millisecond)).
		SetRetryMaxWaitTime(orDefault(opts.RetryMaxWait, 2*time.Second)).
		AddRetryCondition(shouldRetry)
	if opts.APIKey != "" {
		r.SetAuthToken(opts.APIKey)
	}
	// resty's own debug log prints the Authorization header; ours masks it.
	if opts.Debug != nil {
		installDebugLog(r, opts.Debug)
	} else {
		// resty's default logger writes every retry and failure to
		// os.Stderr, which would scribble over the console's screen; the
		// caller gets the error anyway.
		r.SetLogger(debugLogger{io.Discard})
	}
	return c, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// BaseURL is the server's base URL.
func (c *Client) BaseURL() string { return c.base.String() }

// shouldRetry retries only idempotent requests, and only on a connection
// error or a gateway status: a POST may already have taken effect.
func shouldRetry(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil {
		return false
	}
	switch resp.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
	default:
		return false
	}
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	switch resp.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// call is one request: method, path (relative to the base URL), optional
// query, body and result.
type call struct {
	method  string
	path    string
	query   url.Values
	body    any
	result  any
	timeout time.Duration
	// raw, when set, receives the body of a successful response.
	raw *[]byte
	// header sets extra request headers.
	header map[string]string
}

// do runs a call and turns every failure into *APIError or *ConnError.
func (c *Client) do(ctx context.Context, k call) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, orDefault(k.timeout, c.timeout))
		defer cancel()
	}
	req := c.r.R().SetContext(ctx)
	if k.query != nil {
		req.SetQueryParamsFromValues(k.query)
	}
	if k.body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(k.body)
	}
	for name, v := range k.header {
		req.SetHeader(name, v)
	}
	// The result is decoded here, not by resty: resty skips bodies not
	// labelled application/json (a Go server's sniffed text/plain) and
	// reports a decode error as a retryable transport error.
	resp, err := req.Execute(k.method, k.path)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return ctx.Err()
		}
		return &ConnError{BaseURL: c.BaseURL(), Method: k.method, Path: k.path, Err: err}
	}
	if resp.IsError() || resp.StatusCode() >= 300 {
		return parseAPIError(k.method, k.path, resp.StatusCode(), resp.Header().Get("X-Request-Id"), resp.Body())
	}
	body := resp.Body()
	if (k.result != nil || k.raw != nil) && isHTML(resp.Header().Get("Content-Type"), body) {
		// The gateway's web UI answers unknown GETs with 200 index.html:
		// the endpoint is missing, which callers treat like a 404.
		return &APIError{StatusCode: http.StatusNotFound, Type: spec.ErrNotFound, Method: k.method, Path: k.path,
			Message: "the server answered with a web page, not JSON: it has no such endpoint", HTML: true}
	}
	if k.raw != nil {
		*k.raw = body
	}
	if k.result != nil && len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, k.result); err != nil {
			return fmt.Errorf("%s %s: unexpected reply from %s: %w", k.method, k.path, c.BaseURL(), err)
		}
	}
	return nil
}

// unexpected wraps a reply that did not decode as the object expected.
func (c *Client) unexpected(k call, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %s: unexpected reply from %s: %w", k.method, k.path, c.BaseURL(), err)
}

// isHTML reports a web page where JSON was expected.
func isHTML(contentType string, body []byte) bool {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/html") {
		return true
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '<'
}

// escape makes an id safe as one path segment.
func escape(id string) string { return url.PathEscape(strings.TrimSpace(id)) }

// ConnError means the server could not be reached or the exchange broke.
type ConnError struct {
	BaseURL string
	Method  string
	Path    string
	Err     error
}

func (e *ConnError) Error() string {
	msg := fmt.Sprintf("cannot reach %s (%s %s): %v", e.BaseURL, e.Method, e.Path, e.Err)
	if spec.IsLoopbackURL(e.BaseURL) && strings.Contains(e.Err.Error(), "connection refused") {
		msg += "; is the server running? start one with: lapctl serve"
	}
	return msg
}

func (e *ConnError) Unwrap() error { return e.Err }

package client_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"lapctl/client"
)

// testKey is long and distinctive so a leak of it anywhere is easy to spot.
const testKey = "sk-lapctl-TESTKEY-5f0c2e9b7a41d8c3-MUST-NOT-LEAK"

// route is one expected request and its canned answer, in the spirit of
// cli/cli's httpmock: the server fails the test on any request no route
// expects, and Verify (run at cleanup) fails it for any route not called
// as often as it said.
type route struct {
	method, path string // path as sent, escaped
	// query is the exact query wanted; nil wants none.
	query    url.Values
	anyQuery bool
	// body is the JSON the request must carry (compared as JSON); "" wants
	// no body at all.
	body     string
	anyBody  bool
	status   int    // default 200
	resp     string // response body, served as application/json
	header   map[string]string
	rawResp  bool // serve resp with the header's Content-Type only
	handler  http.HandlerFunc
	times    int // calls wanted; 0 means 1; -1 means any number, even 0
	calls    int
	received []string // request bodies, in order
}

type mockServer struct {
	t   *testing.T
	srv *httptest.Server
	// key is the API key every request must carry ("" wants none).
	key string
	// userAgent is the User-Agent wanted; "" wants one starting lapctl/.
	userAgent string

	mu     sync.Mutex
	routes []*route
	log    []string
}

func newMock(t *testing.T) *mockServer {
	t.Helper()
	m := &mockServer{t: t, key: testKey}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(func() {
		m.srv.Close()
		m.Verify()
	})
	return m
}

// on registers routes; they are matched in order, first unexhausted first.
func (m *mockServer) on(rs ...*route) *mockServer {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.routes = append(m.routes, rs...)
	return m
}

// Verify fails the test for each route called too few or too many times.
func (m *mockServer) Verify() {
	m.t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.routes {
		want := r.want()
		if want >= 0 && r.calls != want {
			m.t.Errorf("route %s %s?%s: %d calls, want %d (requests seen: %v)", r.method, r.path, r.query.Encode(), r.calls, want, m.log)
		}
	}
}

func (r *route) want() int {
	if r.times == 0 {
		return 1
	}
	return r.times
}

// Calls is how many requests a route has served.
func (m *mockServer) Calls(r *route) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return r.calls
}

func (m *mockServer) URL() string { return m.srv.URL }

func (m *mockServer) client(mods ...func(*client.Options)) *client.Client {
	m.t.Helper()
	return newClient(m.t, m.srv.URL, mods...)
}

func newClient(t *testing.T, base string, mods ...func(*client.Options)) *client.Client {
	t.Helper()
	opts := client.Options{
		BaseURL:      base,
		APIKey:       testKey,
		Timeout:      5 * time.Second,
		RetryWait:    time.Millisecond,
		RetryMaxWait: 3 * time.Millisecond,
		// These tests speak the lapctl dialect; probing has its own tests.
		Platform: client.PlatformLapctl,
	}
	for _, mod := range mods {
		mod(&opts)
	}
	c, err := client.New(opts)
	if err != nil {
		t.Fatalf("client.New(%+v): %v", opts, err)
	}
	return c
}

func (m *mockServer) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		m.t.Errorf("reading request body: %v", err)
	}
	desc := req.Method + " " + req.URL.RequestURI()

	m.mu.Lock()
	m.log = append(m.log, desc)
	var found *route
	for _, r := range m.routes {
		if r.method != req.Method || r.path != req.URL.EscapedPath() {
			continue
		}
		if !r.anyQuery && !sameQuery(r.query, req.URL.Query()) {
			continue
		}
		if w := r.want(); w >= 0 && r.calls >= w {
			continue
		}
		found = r
		break
	}
	if found != nil {
		found.calls++
		found.received = append(found.received, string(body))
	}
	key, ua := m.key, m.userAgent
	m.mu.Unlock()

	if found == nil {
		m.t.Errorf("unexpected request %s (body %q)", desc, body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(w, `{"error":{"type":"test","message":"no route for %s"}}`, req.Method)
		return
	}

	// Headers every request carries.
	if got := req.Header.Get("Authorization"); key == "" && got != "" {
		m.t.Errorf("%s: Authorization %q, want none", desc, got)
	} else if key != "" && got != "Bearer "+key {
		m.t.Errorf("%s: Authorization %q, want Bearer <the key>", desc, got)
	}
	if got := req.Header.Get("User-Agent"); ua == "" && !strings.HasPrefix(got, "lapctl/") || ua != "" && got != ua {
		m.t.Errorf("%s: User-Agent %q, want %q", desc, got, or(ua, "lapctl/…"))
	}
	if got := req.Header.Get("Accept"); got != "application/json" {
		m.t.Errorf("%s: Accept %q, want application/json", desc, got)
	}
	if !found.anyBody {
		checkBody(m.t, desc, req, body, found.body)
	}

	if found.handler != nil {
		found.handler(w, req)
		return
	}
	for k, v := range found.header {
		w.Header().Set(k, v)
	}
	if !found.rawResp {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(or(found.status, http.StatusOK))
	io.WriteString(w, found.resp)
}

func checkBody(t *testing.T, desc string, req *http.Request, got []byte, want string) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Errorf("%s: body %s, want none", desc, got)
		}
		return
	}
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", desc, ct)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: body is not JSON: %v: %s", desc, err, got)
		return
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad wanted JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: body\n got %s\nwant %s", desc, compact(got), compact([]byte(want)))
	}
}

func sameQuery(want, got url.Values) bool {
	if len(want) == 0 && len(got) == 0 {
		return true
	}
	return reflect.DeepEqual(want, got)
}

func compact(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// fixture reads testdata/name.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

package ptyattach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lapctl/internal/apitest"
	"lapctl/internal/harnessfake"
	"lapctl/spec"
)

// Attaching to the platform's own harness (its tmux bridge, faked from
// its sources): text frames, tmux's rendering, 1005 after the exit notice.

const harnessToken = "harness-token"

// harnessOpts attach the local terminal to the fake in --url mode (no
// API). Sizes come through Resize, not SIGWINCH, so tests run in parallel.
func harnessOpts(lt *localTerm, h *harnessfake.Server, resize chan Size) Options {
	return Options{
		URL: h.TTYURL(), Token: harnessToken, In: lt.tty, Out: lt.tty, ErrOut: lt.tty,
		Reconnect: true, ReconnectDelay: 10 * time.Millisecond, MaxReconnects: 3,
		NoSignals: true, Resize: resize,
	}
}

func TestHarnessAttachResizeDetachReattach(t *testing.T) {
	t.Parallel()
	h := harnessfake.Start(t, harnessfake.Options{Token: harnessToken})
	lt := newLocalTerm(t)
	resize := make(chan Size, 1)
	resize <- Size{Cols: 80, Rows: 24}
	run := startAttach(t, context.Background(), harnessOpts(lt, h, resize))
	at := lt.screen.waitFor(t, 0, "[lap] 0:", wait) // tmux's status line
	lt.typeText(t, "stty size; echo one-$((0+1))\r")
	at = lt.screen.waitFor(t, at, "23 80", wait) // tmux keeps a row
	at = lt.screen.waitFor(t, at, "one-1", wait)

	resize <- Size{Cols: 100, Rows: 30}
	if !waitUntilScreen(h, "one-1") {
		t.Fatal("tmux lost the screen")
	}
	at = lt.waitRemoteSize(t, at, "29 100")
	// The asks may have scrolled one-1 off: mark the screen's last line.
	lt.typeText(t, "echo kept-$((2+2))\r")
	lt.screen.waitFor(t, at, "kept-4", wait)

	lt.typeText(t, "\x1d") // ctrl-]: detach
	res, err := run.wait(t, wait)
	if err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", res, err)
	}
	lt.checkRestored(t)
	if !h.Alive() {
		t.Fatal("detaching ended the agent")
	}

	// Again: tmux redraws the same screen, the same process.
	from := lt.screen.mark()
	run = startAttach(t, context.Background(), harnessOpts(lt, h, nil))
	at = lt.screen.waitFor(t, from, "kept-4", wait)
	lt.typeText(t, "exit 3\r")
	res, err = run.wait(t, wait)
	// The platform's notice carries tmux's client's code, not the shell's
	// 3: 0 for its session's end, or 1 when the client loses its server
	// first (a race inside tmux that a loaded machine shows).
	if err != nil || !res.Exited || (res.ExitCode != 0 && res.ExitCode != 1) {
		t.Fatalf("Attach = %+v, %v; want the exit notice's code, 0 or 1", res, err)
	}
	notice := fmt.Sprintf("process exited (code=%d, signal=0)", res.ExitCode)
	if !strings.Contains(res.Reason, notice) {
		t.Fatalf("Reason = %q, want the notice's %q", res.Reason, notice)
	}
	lt.screen.waitFor(t, at, "exited: "+notice, wait)
	lt.checkRestored(t)
	if n := h.Spawns(); n != 2 {
		t.Errorf("bridge spawned %d processes, want 2 (no reconnect after the exit)", n)
	}
}

// The earlier bridge (no tmux) reports the process's own code: exit 3
// ends the attach with 3, and nothing reconnects to start a new one.
func TestHarnessExitCodeNoReconnect(t *testing.T) {
	t.Parallel()
	h := harnessfake.Start(t, harnessfake.Options{Token: harnessToken, Direct: true})
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), harnessOpts(lt, h, nil))
	lt.screen.waitFor(t, 0, "attached to", wait)
	lt.typeText(t, "exit 3\r")
	res, err := run.wait(t, wait)
	if err != nil || !res.Exited || res.ExitCode != 3 {
		t.Fatalf("Attach = %+v, %v; want exit 3", res, err)
	}
	time.Sleep(100 * time.Millisecond) // a reconnect would have dialled by now
	if n := h.Spawns(); n != 1 {
		t.Errorf("bridge spawned %d processes, want 1", n)
	}
	lt.checkRestored(t)
}

// A TCP connection dropped while the agent lives reconnects, and tmux
// repaints the same screen.
func TestHarnessDropReconnects(t *testing.T) {
	t.Parallel()
	h := harnessfake.Start(t, harnessfake.Options{Token: harnessToken})
	lt := newLocalTerm(t)
	run := startAttach(t, context.Background(), harnessOpts(lt, h, nil))
	at := lt.screen.waitFor(t, 0, "[lap] 0:", wait)
	lt.typeText(t, "echo kept-$((40+2))\r")
	at = lt.screen.waitFor(t, at, "kept-42", wait)
	h.DropConnections()
	at = lt.screen.waitFor(t, at, "reconnected to", wait)
	lt.screen.waitFor(t, at, "kept-42", wait)
	lt.typeText(t, "\x1d")
	if res, err := run.wait(t, wait); err != nil || !res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", res, err)
	}
	if n := h.Spawns(); n != 2 {
		t.Errorf("spawns = %d, want 2 (one reconnect)", n)
	}
	lt.checkRestored(t)
}

// sessionAPI is a platform API with one session whose state a test sets.
type sessionAPI struct {
	srv  *httptest.Server
	sess atomic.Pointer[spec.Session] // nil: 404
	gets atomic.Int64
}

func newSessionAPI(t *testing.T, s *spec.Session) *sessionAPI {
	api := &sessionAPI{}
	api.sess.Store(s)
	api.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.gets.Add(1)
		s := api.sess.Load()
		if s == nil || r.URL.Path != "/session/"+s.ID {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"type":"not_found","message":"no such session"}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s)
	}))
	t.Cleanup(api.srv.Close)
	return api
}

// With an API, a drop is a reconnect only while the API says the session
// lives; when it says the session ended with no code (a server restart
// killed it), the attach ends with that, never starting a new process.
func TestHarnessDropAsksAPI(t *testing.T) {
	t.Parallel()
	h := harnessfake.Start(t, harnessfake.Options{Token: harnessToken})
	api := newSessionAPI(t, &spec.Session{ID: "ses_h", Status: spec.SessionRunning, TTYURL: h.TTYURL(), TTYToken: harnessToken})
	lt := newLocalTerm(t)
	opts := harnessOpts(lt, h, nil)
	opts.URL, opts.Token = "", ""
	opts.Client, opts.SessionID = apitest.NewClient(t, api.srv.URL, "key"), "ses_h"
	run := startAttach(t, context.Background(), opts)
	at := lt.screen.waitFor(t, 0, "[lap] 0:", wait)

	h.DropConnections()
	at = lt.screen.waitFor(t, at, "reconnected to ses_h", wait)
	lt.screen.waitFor(t, at, "[lap] 0:", wait)

	api.sess.Store(&spec.Session{ID: "ses_h", Status: spec.SessionExited,
		FailureReason: "server restarted: the session's process ended with the previous server run"})
	h.DropConnections()
	_, err := run.wait(t, wait)
	var ended *EndedError
	if !errors.As(err, &ended) || !strings.Contains(err.Error(), "without an exit code: server restarted") {
		t.Fatalf("Attach err = %v; want an EndedError naming the restart", err)
	}
	if n := h.Spawns(); n != 2 {
		t.Errorf("spawns = %d, want 2", n)
	}
	lt.checkRestored(t)
}

// A session that stays starting: the attach gives up after StartTimeout
// with what the server said; Esc leaves the wait at once.
func TestWaitTimeoutAndEsc(t *testing.T) {
	t.Parallel()
	starting := &spec.Session{ID: "ses_w", Status: "creating", Phase: "pod_pending", PhaseDetail: "0/3 nodes available",
		Time: spec.SessionTime{Created: time.Now().Add(-time.Minute).UnixMilli(), Updated: time.Now().UnixMilli()}}
	api := newSessionAPI(t, starting)
	c := apitest.NewClient(t, api.srv.URL, "key")

	lt := newLocalTerm(t)
	opts := Options{Client: c, SessionID: "ses_w", In: lt.tty, Out: lt.tty, ErrOut: lt.tty, NoSignals: true,
		PollInterval: 10 * time.Millisecond, StartTimeout: 200 * time.Millisecond}
	res, err := Attach(context.Background(), opts)
	var te *StartTimeoutError
	if !errors.As(err, &te) || res != nil {
		t.Fatalf("Attach = %+v, %v; want a StartTimeoutError", res, err)
	}
	for _, want := range []string{"still creating after", "phase:          pod_pending", "phase detail:   0/3 nodes available", "created:", "ago)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("diagnostics lack %q:\n%s", want, err)
		}
	}
	lt.screen.waitFor(t, 0, "starting ses_w: pod pending (0/3 nodes available)", wait)
	lt.checkRestored(t)

	for _, key := range []string{"\x1b", "\x03"} {
		opts.StartTimeout = time.Minute
		from := lt.screen.mark()
		run := startAttach(t, context.Background(), opts)
		lt.screen.waitFor(t, from, "starting ses_w", wait)
		lt.typeText(t, key)
		if res, err := run.wait(t, wait); !errors.Is(err, ErrStoppedWaiting) || res != nil {
			t.Fatalf("key %q: Attach = %+v, %v; want ErrStoppedWaiting", key, res, err)
		}
		lt.screen.waitFor(t, from, "stopped waiting for ses_w to start", wait)
		lt.checkRestored(t)
	}
}

func TestParseBridgeExit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tail string
		code int
		ok   bool
	}{
		{"\r\n\x1b[2m[bridge] process exited (code=3, signal=0)\x1b[0m\r\n", 3, true},
		{"[bridge] process exited (code=0, signal=15)\x1b[0m\r\n", 143, true},
		{"[bridge] process exited (code=1, signal=-)", 1, true},
		{"[bridge] process exited (code=3, signal=0)\x1b[0m\r\n$ ", 0, false}, // more output came after
		{"echo '[bridge] process exited (code=3'", 0, false},
	} {
		got := parseBridgeExit([]byte(tc.tail))
		if (got != nil) != tc.ok || (got != nil && got.code != tc.code) {
			t.Errorf("parseBridgeExit(%q) = %+v, want ok=%v code %d", tc.tail, got, tc.ok, tc.code)
		}
	}
}

func waitUntilScreen(h *harnessfake.Server, text string) bool {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if s, err := h.Screen(); err == nil && strings.Contains(s, text) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// The backoff doubles and is jittered within its upper half, so clients
// a restart dropped together do not retry in step.
func TestBackoffJitter(t *testing.T) {
	t.Parallel()
	o := Options{ReconnectDelay: 100 * time.Millisecond}
	for n, full := range map[int]time.Duration{1: 100 * time.Millisecond, 3: 400 * time.Millisecond, 10: maxReconnectDelay} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := o.backoff(n)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", n, d, full/2, full)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("backoff(%d) took only %d values in 50 tries: no jitter", n, len(seen))
		}
	}
}

// A drop after which the server no longer knows the session (a restart
// on fresh data): the attach ends with an EndedError, no reconnect.
func TestHarnessDropSessionGone(t *testing.T) {
	t.Parallel()
	h := harnessfake.Start(t, harnessfake.Options{Token: harnessToken})
	api := newSessionAPI(t, &spec.Session{ID: "ses_g", Status: spec.SessionRunning, TTYURL: h.TTYURL(), TTYToken: harnessToken})
	lt := newLocalTerm(t)
	opts := harnessOpts(lt, h, nil)
	opts.URL, opts.Token = "", ""
	opts.Client, opts.SessionID = apitest.NewClient(t, api.srv.URL, "key"), "ses_g"
	run := startAttach(t, context.Background(), opts)
	lt.screen.waitFor(t, 0, "[lap] 0:", wait)
	api.sess.Store(nil)
	h.DropConnections()
	_, err := run.wait(t, wait)
	var ended *EndedError
	if !errors.As(err, &ended) || ended.Status != "" || !strings.Contains(err.Error(), "the server no longer knows it") {
		t.Fatalf("Attach err = %v; want the session gone", err)
	}
	if n := h.Spawns(); n != 1 {
		t.Errorf("spawns = %d, want 1 (no reconnect)", n)
	}
	lt.checkRestored(t)
}

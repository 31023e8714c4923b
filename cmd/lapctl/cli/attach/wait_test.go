package attach

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/internal/apitest"
	"lapctl/iostreams"
	"lapctl/ptyattach"
	"lapctl/spec"
)

// platformAPI answers GET /session/{id} with one fixed session, as a
// platform would that is slow to start it.
func platformAPI(t *testing.T, s *spec.Session) *client.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/session/"+s.ID {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"type":"not_found","message":"no such session"}}`))
			return
		}
		json.NewEncoder(w).Encode(s)
	}))
	t.Cleanup(srv.Close)
	return apitest.NewClient(t, srv.URL, "key")
}

// runAttach runs attach on session s through the real ptyattach, with
// piped streams, and returns the error and stderr.
func runAttach(t *testing.T, c *client.Client, s *spec.Session, timeout time.Duration, attach func(context.Context, ptyattach.Options) (*ptyattach.Result, error)) (stderr string, err error) {
	t.Helper()
	ios, _, _, errOut := iostreams.Test()
	o := &AttachOptions{
		IO: ios, Session: s.ID, Timeout: timeout, Attach: attach,
		Client: func() (*client.Client, error) { return c, nil },
		Config: func() (*config.Config, error) { return &config.Config{}, nil },
		ResolveSession: func(ctx context.Context, c *client.Client, ref string) (*spec.Session, error) {
			return c.GetSession(ctx, ref)
		},
	}
	err = attachRun(context.Background(), o)
	return errOut.String(), err
}

// A session the server says has no terminal: exit 5 at once, saying what
// to do instead, and nothing dialled.
func TestAttachNoTTYExits5(t *testing.T) {
	t.Parallel()
	no := false
	for _, s := range []*spec.Session{
		{ID: "ses_gw", Harness: "claude-code", Status: "starting", SupportsTUI: &no}, // the gateway's: no PTY at all
		{ID: "ses_api", Harness: "opencode", Status: "idle", Kind: spec.KindAPI},
	} {
		c := platformAPI(t, s)
		stderr, err := runAttach(t, c, s, time.Minute, func(context.Context, ptyattach.Options) (*ptyattach.Result, error) {
			t.Errorf("%s: attach dialled a session without a terminal", s.ID)
			return nil, nil
		})
		if cmdutil.ExitCode(err) != 5 {
			t.Errorf("%s: exit %d (%v), want 5", s.ID, cmdutil.ExitCode(err), err)
		}
		for _, want := range []string{s.ID, "no terminal to attach to", "lapctl sessions send " + s.ID} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr lacks %q: %s", s.ID, want, stderr)
			}
		}
	}
}

// A session that stays starting: attach gives up after --timeout with the
// server's diagnostics, exit 1.
func TestAttachStartTimeoutDiagnostics(t *testing.T) {
	t.Parallel()
	created := time.Now().Add(-2 * time.Minute)
	s := &spec.Session{ID: "ses_slow", Harness: "codex", Status: spec.SessionStarting, Phase: spec.PhaseInstallingDeps,
		PhaseDetail: "npm ci (412 packages)", Kind: spec.KindTUI,
		Time: spec.SessionTime{Created: created.UnixMilli(), Updated: created.Add(time.Minute).UnixMilli()}}
	c := platformAPI(t, s)
	began := time.Now()
	stderr, err := runAttach(t, c, s, 300*time.Millisecond, ptyattach.Attach)
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("gave up after %s, want about 300ms", took)
	}
	if cmdutil.ExitCode(err) != 1 {
		t.Fatalf("exit %d (%v), want 1", cmdutil.ExitCode(err), err)
	}
	msg := err.Error()
	for _, want := range []string{
		"session ses_slow still starting after", "lapctl attach ses_slow",
		"status:         starting", "phase:          installing_deps", "phase detail:   npm ci (412 packages)",
		"failure reason: -", "created:        " + created.UTC().Format(time.RFC3339), "updated:",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, msg)
		}
	}
	if !strings.Contains(stderr, "starting ses_slow: installing deps (npm ci (412 packages))") {
		t.Errorf("the wait did not show the phase: %q", stderr)
	}
}

// SIGTERM exits 143 even when the root's signal.NotifyContext hears it
// first and the attach sees only a cancelled context.
func TestSignalCodeFromContext(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	ios, _, _, _ := iostreams.Test()
	o := &AttachOptions{IO: ios}
	if err := o.finish(ctx, &ptyattach.Result{Detached: true}, context.Canceled); cmdutil.ExitCode(err) != 143 {
		t.Errorf("SIGTERM via the context: exit %d, want 143", cmdutil.ExitCode(err))
	}
	if err := o.finish(context.Background(), nil, &ptyattach.EndedError{SessionID: "s", Status: "exited", Reason: "server restarted"}); cmdutil.ExitCode(err) != 1 || !strings.Contains(err.Error(), "server restarted") {
		t.Errorf("ended without a code: %v, want exit 1 naming why", err)
	}
	if err := o.finish(context.Background(), nil, ptyattach.ErrStoppedWaiting); !errors.Is(err, cmdutil.ErrCancel) {
		t.Errorf("stopped waiting: %v, want a cancel (130)", err)
	}
}

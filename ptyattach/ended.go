package ptyattach

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lapctl/client"
	"lapctl/spec"
)

// Statuses the platforms use beside spec's: the managed server's
// creating → ready, failed, dead and stopped.
const (
	statusCreating = "creating"
	statusReady    = "ready"
)

// waiting reports whether the session is still on its way up.
func waiting(s *spec.Session) bool {
	return s.Status == spec.SessionStarting || s.Status == statusCreating
}

// alive reports whether the session's process may still be there: live
// on any platform, or a status the server did not give.
func alive(s *spec.Session) bool {
	return s.Live() || s.Status == statusReady || s.Status == ""
}

// EndedError is a session that ended with no exit code of a process to
// report: it failed to start, a server restart killed it, it was stopped,
// or the server no longer knows it. lapctl attach exits 1 on it.
type EndedError struct {
	SessionID string
	Status    string // "" when the server no longer has the session
	Reason    string
}

func (e *EndedError) Error() string {
	switch {
	case e.Status == "":
		return fmt.Sprintf("session %s is gone: the server no longer knows it (it may have restarted)", e.SessionID)
	case e.Status == spec.SessionError || e.Status == "failed":
		return fmt.Sprintf("session %s failed: %s", e.SessionID, orText(e.Reason, "no reason given"))
	}
	return fmt.Sprintf("session %s ended (%s) without an exit code: %s", e.SessionID, e.Status, orText(e.Reason, "no reason given"))
}

// NoTTYError is a session without a terminal (the server said so): an
// API harness, or any session of a platform with no PTY at all.
type NoTTYError struct {
	SessionID string
	Harness   string
}

func (e *NoTTYError) Error() string {
	h := ""
	if e.Harness != "" {
		h = " (" + e.Harness + ")"
	}
	return fmt.Sprintf("session %s%s has no terminal to attach to: talk to it with: lapctl sessions send %s \"…\"", e.SessionID, h, e.SessionID)
}

// StartTimeoutError: the session was still starting when the wait ran
// out. Its message carries what the server said, to diagnose.
type StartTimeoutError struct {
	Session *spec.Session
	Waited  time.Duration
}

func (e *StartTimeoutError) Error() string {
	s := e.Session
	var b strings.Builder
	fmt.Fprintf(&b, "session %s still %s after %s: gave up waiting (it may yet start: lapctl attach %s)", s.ID, orText(s.Status, "starting"), e.Waited.Round(time.Second), s.ID)
	row := func(k, v string) { fmt.Fprintf(&b, "\n  %-15s %s", k+":", orText(v, "-")) }
	row("status", s.Status)
	row("phase", s.Phase)
	row("phase detail", s.PhaseDetail)
	row("failure reason", s.FailureReason)
	row("created", msTime(s.Time.Created))
	row("updated", msTime(s.Time.Updated))
	return b.String()
}

// ErrStoppedWaiting: the operator left the wait for a starting session
// (Esc or ctrl-c); the session goes on.
var ErrStoppedWaiting = errors.New("stopped waiting for the session to start")

func msTime(ms int64) string {
	if ms <= 0 {
		return ""
	}
	t := time.UnixMilli(ms).UTC()
	return fmt.Sprintf("%s (%s ago)", t.Format(time.RFC3339), time.Since(t).Round(time.Second))
}

// exitedResult describes a session that is no longer live.
func exitedResult(s *spec.Session) (*Result, error) {
	if s.ExitCode != nil && s.Status != spec.SessionError {
		res := &Result{Exited: true, ExitCode: *s.ExitCode, Reason: fmt.Sprintf("process exited (code=%d)", *s.ExitCode)}
		if s.FailureReason != "" {
			res.Reason = s.FailureReason
		}
		return res, nil
	}
	return nil, &EndedError{SessionID: s.ID, Status: orText(s.Status, "unknown"), Reason: s.FailureReason}
}

// sessionGone is the end of a session the server answers 404 for.
func sessionGone(id string, err error) error {
	if client.StatusOf(err) == http.StatusNotFound {
		return &EndedError{SessionID: id}
	}
	return nil
}

// The platform harness's notice, the last thing before its close:
// "\r\n\e[2m[bridge] process exited (code=N, signal=S)\e[0m\r\n".
var bridgeExitRE = regexp.MustCompile(`\[bridge\] process exited \(code=(-?\d+), signal=([^)\s]*)\)(?:\x1b\[0m)?(?:\r?\n)?$`)

// bridgeTailLen bounds the output kept to recognise the notice.
const bridgeTailLen = 96

// bridgeExit is a parsed exit notice.
type bridgeExit struct {
	code   int
	reason string
}

// parseBridgeExit finds the notice at the very end of tail. A signal
// number with code 0 (node-pty's report of a killed process) becomes
// 128+n, as a shell reports it.
func parseBridgeExit(tail []byte) *bridgeExit {
	m := bridgeExitRE.FindSubmatch(tail)
	if m == nil {
		return nil
	}
	code, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return nil
	}
	if sig, err := strconv.Atoi(string(m[2])); err == nil && sig > 0 && code == 0 {
		code = 128 + sig
	}
	return &bridgeExit{code: code, reason: fmt.Sprintf("process exited (code=%s, signal=%s)", m[1], m[2])}
}

// refused handles a refused or failed dial: a 409 means the session ended,
// which the session's state explains.
func (a *attacher) refused(ctx context.Context, err error) (*Result, error) {
	var he *HandshakeError
	if !errors.As(err, &he) || (he.StatusCode != http.StatusConflict && he.StatusCode != http.StatusNotFound) {
		return nil, nil
	}
	return a.ended(ctx)
}

// ended asks the API, where there is one, whether the session is still
// alive: when it is not, the end it reports; nil, nil when it is, or when
// the server cannot say (down, restarting), so a reconnect may follow.
func (a *attacher) ended(ctx context.Context) (*Result, error) {
	if a.opts.Client == nil || a.opts.SessionID == "" {
		return nil, nil
	}
	gctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	sess, err := a.opts.Client.GetSession(gctx, a.opts.SessionID)
	if err != nil {
		return nil, sessionGone(a.opts.SessionID, err)
	}
	if alive(sess) {
		return nil, nil
	}
	return exitedResult(sess)
}

// closed builds the result of a normal close from the server: the process
// exited, and the reason names its code; else the API says how it ended.
func (a *attacher) closed(ctx context.Context, reason string) (*Result, error) {
	res := &Result{Exited: true, Reason: orText(reason, "session ended")}
	if code, ok := exitCodeOf(reason); ok {
		res.ExitCode = code
		return res, nil
	}
	if r, err := a.ended(ctx); r != nil || err != nil {
		return r, err
	}
	return res, nil
}

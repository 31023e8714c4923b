package ptyattach

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"syscall"
	"time"

	"lapctl/client"
)

// Defaults for Options' tuning fields.
const (
	DefaultPingInterval   = 30 * time.Second
	DefaultPongWait       = 10 * time.Second
	DefaultMaxReconnects  = 6
	DefaultReconnectDelay = 300 * time.Millisecond
	DefaultPollInterval   = 300 * time.Millisecond
	DefaultStartTimeout   = 10 * time.Minute
	maxReconnectDelay     = 5 * time.Second
	writeTimeout          = 10 * time.Second
)

// Options configure one attach.
type Options struct {
	// URL is the absolute ws(s) URL of the tty endpoint. Empty with Client
	// and SessionID set: taken from the session's tty_url.
	URL string
	// Token is sent as Authorization: Bearer and as ?token=. Empty with
	// Client set: the session's tty_token.
	Token string
	// Client, when set, is used to wait for a starting session and to
	// re-fetch its state on reconnect (nil in --url mode).
	Client    *client.Client
	SessionID string
	// DetachKeys is the detach sequence in docker's syntax
	// ("ctrl-p,ctrl-q"); "" is DefaultDetachKeys.
	DetachKeys string
	// ReadOnly watches the session: no keys or resizes are sent; the
	// detach keys and Ctrl-C leave.
	ReadOnly bool
	In       io.Reader
	Out      io.Writer
	// ErrOut gets status lines: spinner, reconnecting, how to reattach.
	ErrOut io.Writer
	// Term is the local terminal; nil derives one from In and Out when
	// they are *os.File terminals.
	Term Terminal
	// Resize is an extra source of window sizes (the SSH server feeds the
	// client's window changes here).
	Resize <-chan Size
	// Reconnect retries a dropped connection with bounded backoff.
	// lapctl attach sets it unless --no-reconnect; set it in the console.
	Reconnect bool
	// NoSignals stops Attach from watching SIGWINCH, SIGTERM and SIGHUP,
	// which it does when it derives the terminal from *os.File. Set it in
	// a server that attaches many remote terminals in one process.
	NoSignals bool

	// StartTimeout bounds the wait for a starting session (0: the
	// default); past it Attach returns a *StartTimeoutError.
	StartTimeout time.Duration

	// Tuning, zero for the defaults above; tests shorten them.
	PingInterval   time.Duration
	PongWait       time.Duration
	MaxReconnects  int
	ReconnectDelay time.Duration
	PollInterval   time.Duration
}

// Result says how an attach ended.
type Result struct {
	// Detached: the operator detached (or the context ended); the remote
	// process goes on.
	Detached bool
	// Exited: the remote process exited with ExitCode.
	Exited   bool
	ExitCode int
	// Reason is the server's close reason ("process exited (code=0)"),
	// the failure reason, or why the attach stopped.
	Reason string
}

// SignalError means a SIGTERM or SIGHUP ended the attach; the terminal has
// been restored and the remote process goes on.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "attach stopped by signal: " + e.Signal.String() }

// ExitCode is the shell's code for death by this signal (128+n).
func (e *SignalError) ExitCode() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// ErrGaveUp wraps the last error after the reconnect attempts ran out.
var ErrGaveUp = errors.New("connection lost")

func (o *Options) defaults() error {
	if o.In == nil || o.Out == nil {
		return errors.New("ptyattach: Options.In and Options.Out are required")
	}
	if o.ErrOut == nil {
		o.ErrOut = io.Discard
	}
	if o.URL == "" && (o.Client == nil || o.SessionID == "") {
		return errors.New("ptyattach: need a tty URL, or a client and a session id")
	}
	if o.PingInterval <= 0 {
		o.PingInterval = DefaultPingInterval
	}
	if o.PongWait <= 0 {
		o.PongWait = DefaultPongWait
	}
	if o.MaxReconnects <= 0 {
		o.MaxReconnects = DefaultMaxReconnects
	}
	if o.ReconnectDelay <= 0 {
		o.ReconnectDelay = DefaultReconnectDelay
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	return nil
}

// backoff is the wait before reconnect attempt n (1-based): doubling from
// ReconnectDelay, capped, with "equal jitter" (half fixed, half random)
// so that the many clients a server restart drops do not come back in
// step.
func (o *Options) backoff(n int) time.Duration {
	d := o.ReconnectDelay
	for i := 1; i < n && d < maxReconnectDelay; i++ {
		d *= 2
	}
	d = min(d, max(maxReconnectDelay, o.ReconnectDelay))
	return d/2 + rand.N(d/2+1)
}

func (o *Options) target() string {
	if o.SessionID != "" {
		return o.SessionID
	}
	return redact(o.URL)
}

func (o *Options) reattachHint() string {
	if o.SessionID != "" {
		return "lapctl attach " + o.SessionID
	}
	return fmt.Sprintf("lapctl attach --url %s --token …", redact(stripToken(o.URL)))
}

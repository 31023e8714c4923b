package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"lapctl/secret"
)

// DefaultListen is where `lapctl serve` listens unless told otherwise.
const DefaultListen = "127.0.0.1:4000"

// LocalMasterKey is the key a loopback-only server uses when none is given.
const LocalMasterKey = "sk-local"

// Options configures a Server. The zero value (plus a Listen address)
// is a working local server.
type Options struct {
	// Listen is the address to listen on, e.g. "127.0.0.1:4000". It also
	// decides whether the default master key is allowed (loopback only).
	Listen string
	// DataDir holds the database, the secret key and session directories;
	// "" means DefaultDataDir().
	DataDir string
	// MasterKey is the API key; "" means LocalMasterKey when Listen is a
	// loopback address, and is an error otherwise.
	MasterKey string
	// HarnessCmds maps a harness id or alias to a shell command (run with
	// /bin/sh -c). Keys that are not built-in ids register API aliases.
	HarnessCmds map[string]string
	// Models are the ids /v1/models returns; nil means DefaultModels.
	Models []string
	// InstallRequirements runs pip for agents' requirements at session start.
	InstallRequirements bool
	// MasterKeyFile is where MasterKey was read from, if a file: sessions
	// must not see it even when it lies in a tree they get (/etc).
	MasterKeyFile string
	// AllowedHosts are extra Host/Origin names to answer (e.g. a name
	// this machine is reached by); a loopback listener answers only
	// 127.0.0.1, [::1] and localhost otherwise.
	AllowedHosts []string
	// NoSandbox runs sessions without bubblewrap: the operator's explicit
	// choice, logged at start and shown on every session.
	NoSandbox bool
	// SandboxReadOnly are extra directories bound read-only into every
	// sandbox: harness programs installed outside the system trees (an
	// npm prefix under a home, which the sandbox otherwise hides).
	SandboxReadOnly []string
	// EgressDial connects the sandboxes' egress proxy to an allowed host;
	// nil dials directly. Tests map names to loopback servers with it.
	EgressDial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Demo seeds demo skills and agents when the store has no agents.
	Demo bool
	// Logger receives one line per request and runtime events; nil discards.
	Logger *slog.Logger
	// Ready is called by Run with the bound address once listening.
	Ready func(addr string)
}

// DefaultModels is what /v1/models lists when Options.Models is nil.
var DefaultModels = []string{"anthropic/claude-sonnet-4-6", "anthropic/claude-opus-4-5", "openai/gpt-5-codex"}

// Server is the embedded platform: store, runtime and HTTP API.
type Server struct {
	opts      Options
	masterKey string
	dataDir   string
	log       *slog.Logger
	store     *store
	lock      *os.File // held on the data dir until Shutdown
	harnesses *harnessRegistry
	runtime   *sessionRuntime
	handler   http.Handler
	hosts     hostPolicy

	mu       sync.Mutex
	http     *http.Server
	shutdown bool
	// fresh holds connections that have not sent a request yet: on
	// Shutdown net/http waits up to 5 s for each, though nothing is in
	// flight on them, so Shutdown closes them itself.
	fresh map[net.Conn]struct{}
}

// DefaultDataDir is $XDG_DATA_HOME/lapctl, or ~/.local/share/lapctl.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "lapctl")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".", ".lapctl")
	}
	return filepath.Join(home, ".local", "share", "lapctl")
}

// New opens (creating or migrating) the store in the data dir and builds
// the server. It does not listen.
func New(opts Options) (*Server, error) {
	defaultHangupForChildren()
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	key := opts.MasterKey
	if key == "" {
		if !isLoopback(opts.Listen) {
			return nil, fmt.Errorf("refusing to serve on %s without a master key: pass --master-key or set LITELLM_MASTER_KEY (the default %s is only allowed on a loopback address)", opts.Listen, LocalMasterKey)
		}
		key = LocalMasterKey
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if key == LocalMasterKey {
		log.Warn("serving with the documented key " + LocalMasterKey + ": every user of this machine can use it; pass --master-key-file on a shared machine")
	}
	dataDir := opts.DataDir
	if dataDir == "" {
		dataDir = DefaultDataDir()
	}
	if err := prepareDataDir(dataDir, log); err != nil {
		return nil, err
	}
	lock, err := lockDataDir(dataDir)
	if err != nil {
		return nil, err
	}
	st, err := openDataDir(dataDir, opts.Demo)
	if err != nil {
		lock.Close()
		return nil, err
	}
	s := &Server{
		opts:      opts,
		masterKey: key,
		dataDir:   dataDir,
		log:       log,
		store:     st,
		lock:      lock,
		harnesses: newHarnessRegistry(opts.HarnessCmds),
		hosts:     newHostPolicy(opts.Listen, opts.AllowedHosts),
	}
	s.runtime = newSessionRuntime(st, s.harnesses, log, dataDir, opts.InstallRequirements)
	s.runtime.sandbox = newSandbox(opts.NoSandbox, dataDir, opts.MasterKeyFile)
	s.runtime.sandbox.readOnly = opts.SandboxReadOnly
	if opts.NoSandbox {
		log.Warn("sessions run without a sandbox (--no-sandbox): each session's process can read everything this server's user can")
	}
	if s.runtime.egress, err = newEgressProxy(opts.EgressDial, log); err != nil {
		st.close()
		lock.Close()
		return nil, err
	}
	s.runtime.sweepSessionDirs(context.Background())
	s.handler = s.routes()
	return s, nil
}

// openDataDir opens the store, closes the sessions a previous run left
// live (their processes died with it) and seeds demo data if asked.
func openDataDir(dataDir string, demo bool) (*store, error) {
	sealer, err := loadSealer(dataDir)
	if err != nil {
		return nil, err
	}
	st, err := openStore(dataDir, sealer)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := st.markSessionsEnded(ctx, "server restarted: the session's process ended with the previous server run; start a new session"); err != nil {
		st.close()
		return nil, err
	}
	if err := st.hashLegacyTTYTokens(ctx); err != nil {
		st.close()
		return nil, err
	}
	if demo {
		if err := seedDemo(ctx, st); err != nil {
			st.close()
			return nil, fmt.Errorf("seeding demo data: %w", err)
		}
	}
	return st, nil
}

// isLoopback reports whether a listen address only accepts local
// connections. An empty host means every interface, so it is not.
func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MasterKey is the key clients must present.
func (s *Server) MasterKey() string { return s.masterKey }

// Handler is the whole API, for serving with your own http.Server.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until Shutdown; it then returns
// http.ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		ln.Close() // else the port keeps accepting connections that hang
		return http.ErrServerClosed
	}
	if s.http == nil {
		s.http = &http.Server{
			Handler:           s.handler,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
			ConnState:         s.trackFresh,
		}
	}
	hs := s.http
	s.mu.Unlock()
	return hs.Serve(ln)
}

// Shutdown stops accepting connections, ends every live session (SIGHUP,
// then SIGTERM, then SIGKILL to its process group, with waits between)
// and closes the store. ctx bounds the waiting.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return nil
	}
	s.shutdown = true
	hs := s.http
	s.mu.Unlock()

	// Stop the listener and the sessions together: in-flight message
	// requests only finish once their session's commands are stopped.
	httpDone := make(chan error, 1)
	go func() {
		if hs == nil {
			httpDone <- nil
			return
		}
		httpDone <- hs.Shutdown(ctx)
	}()
	s.closeFresh()
	errRuntime := s.runtime.shutdown(ctx)
	s.runtime.egress.close()
	errHTTP := <-httpDone
	return errors.Join(errHTTP, errRuntime, s.store.close(), s.lock.Close())
}

func (s *Server) trackFresh(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if state == http.StateNew {
		if s.fresh == nil {
			s.fresh = map[net.Conn]struct{}{}
		}
		s.fresh[c] = struct{}{}
		return
	}
	delete(s.fresh, c)
}

func (s *Server) closeFresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.fresh {
		c.Close()
	}
	s.fresh = nil
}

// Run serves opts until ctx is done, then shuts down gracefully. It logs
// the URL to connect to (and only a hint of the key).
func Run(ctx context.Context, opts Options) error {
	s, err := New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		_ = s.Shutdown(context.Background())
		return fmt.Errorf("listen on %s: %w", s.opts.Listen, err)
	}
	addr := ln.Addr().String()
	s.log.Info("lapctl server listening", "url", "http://"+addr, "data_dir", s.dataDir, "key", secret.Mask(s.masterKey))
	if opts.Ready != nil {
		opts.Ready(addr)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-served:
		_ = s.Shutdown(context.Background())
		return err
	}
	s.log.Info("shutting down: ending sessions")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = s.Shutdown(shutCtx)
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

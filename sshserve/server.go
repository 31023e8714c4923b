package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	rm "charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = ssh.ErrServerClosed

// Permission extensions that carry the authenticated key's mapping from
// the auth callback to the session. gossh keeps the Permissions of the key
// that actually signed, so these cannot come from another offered key.
const (
	extFingerprint = "lapctl-fingerprint"
	extOwner       = "lapctl-owner"
)

// Server is the SSH server.
type Server struct {
	opts    Options
	log     *slog.Logger
	keys    *keyring
	hostKey gossh.Signer
	ssh     *ssh.Server

	mu      sync.Mutex
	live    map[*liveSession]struct{}
	closing bool
	wg      sync.WaitGroup // admitted sessions still running
}

// New prepares a server: the host key (created on first start) and the
// authorized_keys file must be usable.
func New(opts Options) (*Server, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	signer, err := loadHostKey(filepath.Join(opts.DataDir, HostKeyFile))
	if err != nil {
		return nil, err
	}
	srv := &Server{
		opts:    opts,
		log:     opts.Logger,
		keys:    &keyring{path: opts.AuthorizedKeys, log: opts.Logger},
		hostKey: signer,
		live:    map[*liveSession]struct{}{},
	}
	keys, err := srv.keys.load()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("authorized keys file %s does not exist: create it with one public key per line, "+
			"each naming the owner it acts as, e.g. environment=\"%s=alice\" ssh-ed25519 AAAA... (see docs/ssh.md)", opts.AuthorizedKeys, OwnerEnv)
	}
	if err != nil {
		return nil, fmt.Errorf("%w (see docs/ssh.md)", err)
	}
	if len(keys) == 0 {
		srv.log.Warn("authorized keys lists no usable key: nobody can log in until one is added", "file", opts.AuthorizedKeys)
	}
	srv.ssh, err = wish.NewServer(
		wish.WithAddress(opts.Listen),
		wish.WithVersion("lapctl"),
		func(s *ssh.Server) error { s.AddHostKey(signer); return nil },
		// Public keys only: no password or keyboard-interactive handler is
		// set, so gossh offers no other method.
		ssh.PublicKeyAuth(srv.authorize),
		func(s *ssh.Server) error {
			s.ConnectionFailedCallback = func(c net.Conn, err error) {
				srv.log.Debug("ssh handshake failed", "remote", c.RemoteAddr().String(), "err", err)
			}
			return nil
		},
		// The connection deadline bounds handshakes left hanging and dead
		// peers. It is longer than the session's idle timeout so that the
		// session's own watch (which ignores the console's redraws, and
		// says goodbye) is the one users meet.
		wish.WithIdleTimeout(connIdleTimeout(opts.IdleTimeout)),
		wish.WithMiddleware(srv.middleware()...),
	)
	if err != nil {
		return nil, err
	}
	return srv, nil
}

// middleware is the chain every session runs through. wish composes the
// list so that the LAST entry runs FIRST; read it bottom-up.
func (srv *Server) middleware() []wish.Middleware {
	return []wish.Middleware{
		// Recover keeps one session's panic from taking the server (and
		// everyone else's session) down; it wraps the list in the order
		// given, innermost first.
		rm.MiddlewareWithLogger(slogPrintf{srv.log},
			// 4. Innermost: a PTY and no command gets the console.
			srv.consoleMiddleware,
			// 3. A command, or no PTY: the cobra tree on the session's
			// streams. It ends the session; only console sessions pass.
			srv.commandMiddleware,
			// 2. Session limit and shutdown gate, before any work is done
			// for the session, and after it is known who was refused.
			srv.admitMiddleware,
		),
		// 1. Outermost, outside recover so it runs even after a panic:
		// identity from the authenticated key, the session context, the
		// start and end log lines and the exit status.
		srv.sessionMiddleware,
	}
}

// authorize is the public key callback. An unknown key is refused here,
// during the handshake, before any session or UI exists.
func (srv *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	owner, ok, err := srv.keys.lookup(key)
	if err != nil {
		srv.log.Error("ssh key refused: authorized keys unusable", "user", ctx.User(), "fingerprint", fp, "remote", ctx.RemoteAddr().String(), "err", err)
		return false
	}
	if !ok {
		srv.log.Info("ssh key refused: not in authorized keys", "user", ctx.User(), "fingerprint", fp, "remote", ctx.RemoteAddr().String())
		return false
	}
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[extFingerprint] = fp
	perms.Extensions[extOwner] = owner
	return true
}

// Serve accepts connections on ln until Shutdown; it then returns
// ErrServerClosed.
func (srv *Server) Serve(ln net.Listener) error {
	srv.mu.Lock()
	closing := srv.closing
	srv.mu.Unlock()
	if closing {
		ln.Close()
		return ErrServerClosed
	}
	srv.log.Info("ssh-serve listening", "addr", ln.Addr().String(), "host_key", gossh.FingerprintSHA256(srv.hostKey.PublicKey()), "authorized_keys", srv.opts.AuthorizedKeys)
	if srv.opts.Ready != nil {
		srv.opts.Ready(ln.Addr().String())
	}
	return srv.ssh.Serve(ln)
}

// HostKeyFingerprint is the host key's SHA256 fingerprint, for users'
// known_hosts.
func (srv *Server) HostKeyFingerprint() string {
	return gossh.FingerprintSHA256(srv.hostKey.PublicKey())
}

// Shutdown stops accepting, tells every console user the server is going
// away and closes their sessions, lets running commands finish until ctx
// ends (then ends them too, saying why), and closes every connection.
func (srv *Server) Shutdown(ctx context.Context) error {
	srv.mu.Lock()
	srv.closing = true
	for ls := range srv.live {
		if ls.interactive {
			ls.cancel(errShutdown)
		}
	}
	srv.mu.Unlock()

	// Closes the listeners now. The context is already done so that it
	// does not also wait for connections: sessions are waited for below,
	// and idle connections closed.
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	_ = srv.ssh.Shutdown(stopped)

	var err error
	if !srv.waitSessions(ctx.Done()) {
		err = ctx.Err()
		srv.mu.Lock()
		for ls := range srv.live {
			ls.cancel(errShutdown)
		}
		srv.mu.Unlock()
		// A moment for the handlers to write their notice.
		grace, cancel := context.WithTimeout(context.Background(), time.Second)
		srv.waitSessions(grace.Done())
		cancel()
	}
	if cerr := srv.ssh.Close(); err == nil && cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		err = cerr
	}
	return err
}

// waitSessions waits for every admitted session to end, or until stop.
func (srv *Server) waitSessions(stop <-chan struct{}) bool {
	done := make(chan struct{})
	go func() { srv.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-stop:
		return false
	}
}

// Run serves on opts.Listen until ctx ends (SIGTERM, in lapctl ssh-serve),
// then shuts down gracefully within opts.ShutdownTimeout.
func Run(ctx context.Context, opts Options) error {
	srv, err := New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", srv.opts.Listen)
	if err != nil {
		return fmt.Errorf("ssh-serve: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	srv.log.Info("ssh-serve shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), srv.opts.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

func connIdleTimeout(session time.Duration) time.Duration {
	if session <= 0 {
		return 0
	}
	return session + time.Minute
}

// slogPrintf adapts slog to wish's recover logger.
type slogPrintf struct{ log *slog.Logger }

func (l slogPrintf) Printf(format string, v ...any) {
	l.log.Error("ssh session panic", "detail", fmt.Sprintf(format, v...))
}

// Package servertest runs a real embedded platform server for tests: on a
// loopback port, with a temporary data dir, shut down when the test ends.
//
//	srv := servertest.Start(t, servertest.WithHarnessCmd("opencode", "cat"))
//	resp, err := http.Get(srv.URL + "/health")
package servertest

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"lapctl/server"
)

// Instance is a running server.
type Instance struct {
	URL     string // base URL, e.g. http://127.0.0.1:41234
	Key     string // the master key to send
	DataDir string
	Server  *server.Server

	closeOnce sync.Once
	served    chan error
	t         testing.TB
}

// Option adjusts the server's Options before it starts.
type Option func(*server.Options)

// WithHarnessCmd maps a harness id or alias to a shell command.
func WithHarnessCmd(harness, cmd string) Option {
	return func(o *server.Options) {
		if o.HarnessCmds == nil {
			o.HarnessCmds = map[string]string{}
		}
		o.HarnessCmds[harness] = cmd
	}
}

// WithDataDir uses dir instead of a fresh temporary one, e.g. to start a
// second server on the data of a first (restart tests).
func WithDataDir(dir string) Option {
	return func(o *server.Options) { o.DataDir = dir }
}

// WithOptions edits the Options directly.
func WithOptions(f func(*server.Options)) Option { return f }

// Start runs a server on 127.0.0.1:0 and registers its shutdown with
// t.Cleanup. Set LAPCTL_TEST_LOG=1 to see its log on stderr.
func Start(t testing.TB, opts ...Option) *Instance {
	t.Helper()
	o := server.Options{Listen: "127.0.0.1:0"}
	for _, opt := range opts {
		opt(&o)
	}
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	if o.Logger == nil && os.Getenv("LAPCTL_TEST_LOG") != "" {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := server.New(o)
	if err != nil {
		t.Fatalf("servertest: starting server: %v", err)
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		_ = srv.Shutdown(context.Background())
		t.Fatalf("servertest: listen: %v", err)
	}
	inst := &Instance{
		URL: "http://" + ln.Addr().String(), Key: srv.MasterKey(), DataDir: o.DataDir,
		Server: srv, served: make(chan error, 1), t: t,
	}
	go func() { inst.served <- srv.Serve(ln) }()
	t.Cleanup(inst.Close)
	return inst
}

// Close shuts the server down (ending its sessions) and waits for it. It
// is safe to call more than once; Start's cleanup calls it too.
func (i *Instance) Close() {
	i.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := i.Server.Shutdown(ctx); err != nil {
			i.t.Errorf("servertest: shutdown: %v", err)
		}
		if err := <-i.served; !errors.Is(err, http.ErrServerClosed) {
			i.t.Errorf("servertest: serve: %v", err)
		}
	})
}

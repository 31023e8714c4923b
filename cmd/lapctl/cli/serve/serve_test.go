package serve

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/internal/testutil"
	"lapctl/iostreams"
	"lapctl/server"
)

func TestNewCmdServe(t *testing.T) {
	tests := []struct {
		name    string
		argv    string
		env     map[string]string
		want    ServeOptions
		wantErr string
	}{
		{name: "defaults", argv: "", want: ServeOptions{Listen: "127.0.0.1:4000", LogFormat: "text", LogLevel: "info"}},
		{
			name: "every flag",
			argv: `--listen 0.0.0.0:8080 --data-dir /srv/lap --master-key sk-x --harness-cmd claude-code='claude --yolo' --harness-cmd my=cat ` +
				`--models a,b --models c --install-requirements --demo --log-format json --log-level debug`,
			want: ServeOptions{Listen: "0.0.0.0:8080", DataDir: "/srv/lap", MasterKey: "sk-x",
				HarnessCmds: map[string]string{"claude-code": "claude --yolo", "my": "cat"}, Models: []string{"a", "b", "c"},
				InstallRequirements: true, Demo: true, LogFormat: "json", LogLevel: "debug"},
		},
		{name: "key from the environment", argv: "", env: map[string]string{"LITELLM_MASTER_KEY": "sk-env"},
			want: ServeOptions{Listen: "127.0.0.1:4000", MasterKey: "sk-env", LogFormat: "text", LogLevel: "info"}},
		{name: "flag beats environment", argv: "--master-key sk-flag", env: map[string]string{"LITELLM_MASTER_KEY": "sk-env"},
			want: ServeOptions{Listen: "127.0.0.1:4000", MasterKey: "sk-flag", LogFormat: "text", LogLevel: "info"}},
		{name: "security flags", argv: "--allowed-host console.example.com --allowed-host 10.0.0.5 --no-sandbox",
			want: ServeOptions{Listen: "127.0.0.1:4000", LogFormat: "text", LogLevel: "info",
				AllowedHosts: []string{"console.example.com", "10.0.0.5"}, NoSandbox: true}},
		{name: "key file and key flag", argv: "--master-key sk-x --master-key-file /nonexistent", wantErr: "both given"},
		{name: "missing key file", argv: "--master-key-file /nonexistent/key", wantErr: "--master-key-file"},
		{name: "harness-cmd without =", argv: "--harness-cmd claude", wantErr: "ID=COMMAND"},
		{name: "harness-cmd without command", argv: "--harness-cmd claude=", wantErr: "ID=COMMAND"},
		{name: "bad log format", argv: "--log-format xml", wantErr: "--log-format"},
		{name: "bad log level", argv: "--log-level loud", wantErr: "--log-level"},
		{name: "argument", argv: "now", wantErr: "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *ServeOptions
			err := cmdtest.Run(t, cmdtest.Opts{Env: tt.env}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdServe(f, func(o *ServeOptions) error { got = o; return nil })
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Run = nil, nil
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

// TestServeRunsAndShutsDown runs the real server through serveRun: it
// serves on a loopback port, logs to stderr, and returns cleanly once its
// context is cancelled (what SIGINT/SIGTERM do in Main).
func TestServeRunsAndShutsDown(t *testing.T) {
	var errOut testutil.SyncBuffer
	ios := iostreams.New(&bytes.Buffer{}, io.Discard, &errOut, false, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var healthy atomic.Bool
	opts := &ServeOptions{
		IO: ios, Listen: "127.0.0.1:0", DataDir: t.TempDir(), LogFormat: "json", LogLevel: "info",
		Run: func(ctx context.Context, so server.Options) error {
			ready := so.Ready
			so.Ready = func(addr string) {
				ready(addr)
				// Run calls Ready before it serves: check from aside.
				go func() {
					defer cancel()
					resp, err := http.Get("http://" + addr + "/health")
					if err == nil {
						healthy.Store(resp.StatusCode == http.StatusOK)
						resp.Body.Close()
					}
				}()
			}
			return server.Run(ctx, so)
		},
	}
	done := make(chan error, 1)
	go func() { done <- serveRun(ctx, opts) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if !healthy.Load() {
		t.Error("the server did not answer /health while running")
	}
	log := errOut.String()
	if !strings.Contains(log, "lapctl serve: listening on http://127.0.0.1:") || !strings.Contains(log, `"msg":"lapctl server listening"`) {
		t.Errorf("stderr:\n%s", log)
	}
}

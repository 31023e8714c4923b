package attach

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/ptyattach"
)

func TestNewCmdAttach(t *testing.T) {
	tests := []struct {
		args    string
		env     map[string]string
		want    AttachOptions
		wantErr string
	}{
		{args: "ses_1", want: AttachOptions{Session: "ses_1"}},
		{args: "ses_1 --detach-keys ctrl-p,ctrl-q --no-reconnect", want: AttachOptions{Session: "ses_1", DetachKeys: "ctrl-p,ctrl-q", NoReconnect: true}},
		{args: "--agent rev --resume --title t", want: AttachOptions{Agent: "rev", Resume: true, Title: "t"}},
		{args: "--url ws://h/tty --token T", want: AttachOptions{URL: "ws://h/tty", Token: "T"}},
		{args: "--url wss://h/tty", env: map[string]string{EnvTTYToken: "E"}, want: AttachOptions{URL: "wss://h/tty", Token: "E"}},
		{args: "", wantErr: "give one of"},
		{args: "ses_1 --agent a", wantErr: "give one of"},
		{args: "ses_1 --url ws://h/tty --token T", wantErr: "give one of"},
		{args: "ses_1 --resume", wantErr: "--resume goes with --agent"},
		{args: "ses_1 --title x", wantErr: "--title goes with --agent"},
		{args: "ses_1 --token T", wantErr: "--token goes with --url"},
		{args: "--url ws://h/tty", wantErr: "LAPCTL_TTY_TOKEN"},
		{args: "--url ftp://h/tty --token T", wantErr: "ws:// or wss://"},
		{args: "ses_1 --detach-keys ctrl-1", wantErr: "invalid detach keys"},
		{args: "a b", wantErr: "session"},
		{args: "ses_1 --timeout 0s", wantErr: "--timeout must be above 0"},
		{args: "ses_1 --timeout 30s", want: AttachOptions{Session: "ses_1", Timeout: 30 * time.Second}},
		{args: "ses_2", want: AttachOptions{Session: "ses_2", Timeout: ptyattach.DefaultStartTimeout}},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			var got *AttachOptions
			err := cmdtest.Run(t, cmdtest.Opts{Env: tt.env}, tt.args, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdAttach(f, func(o *AttachOptions) error { got = o; return nil })
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			if got.Session != w.Session || got.Agent != w.Agent || got.Resume != w.Resume || got.Title != w.Title ||
				got.URL != w.URL || got.Token != w.Token || got.DetachKeys != w.DetachKeys || got.NoReconnect != w.NoReconnect ||
				(w.Timeout != 0 && got.Timeout != w.Timeout) {
				t.Errorf("options = %+v, want %+v", *got, w)
			}
		})
	}
}

func TestDetachKeysPrecedence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DetachKeys = "ctrl-p,ctrl-q"
	if err := cfg.Save(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ flag, want string }{{"", "ctrl-p,ctrl-q"}, {"ctrl-x", "ctrl-x"}} {
		var got ptyattach.Options
		ios, _, _, _ := iostreams.Test()
		f := cmdutil.New(ios)
		f.ConfigPath = path
		cmd := NewCmdAttach(f, func(o *AttachOptions) error {
			o.Attach = func(_ context.Context, p ptyattach.Options) (*ptyattach.Result, error) {
				got = p
				return &ptyattach.Result{Detached: true}, nil
			}
			return attachRun(context.Background(), o)
		})
		args := []string{"--url", "ws://h/tty", "--token", "T"}
		if tt.flag != "" {
			args = append(args, "--detach-keys", tt.flag)
		}
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got.DetachKeys != tt.want || !got.Reconnect || got.Token != "T" || got.Client != nil {
			t.Errorf("flag %q: got %+v; want detach keys %q, reconnect, token T, no client", tt.flag, got, tt.want)
		}
	}
}

func TestFinish(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	o := &AttachOptions{IO: ios}
	finish := func(res *ptyattach.Result, err error) error { return o.finish(context.Background(), res, err) }
	if err := finish(&ptyattach.Result{Exited: true, ExitCode: 5}, nil); cmdutil.ExitCode(err) != 5 {
		t.Errorf("exit 5 → %v", err)
	}
	if err := finish(&ptyattach.Result{Exited: true}, nil); err != nil {
		t.Errorf("exit 0 → %v", err)
	}
	if err := finish(&ptyattach.Result{Detached: true}, nil); err != nil {
		t.Errorf("detach → %v", err)
	}
	if err := finish(nil, &ptyattach.SignalError{Signal: syscall.SIGTERM}); cmdutil.ExitCode(err) != 143 {
		t.Errorf("SIGTERM → %v", err)
	}
	if err := finish(&ptyattach.Result{Detached: true}, context.Canceled); cmdutil.ExitCode(err) != cmdutil.ExitCancel {
		t.Errorf("canceled → %v", err)
	}
}

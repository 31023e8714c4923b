package sshservecmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/sshserve"
)

func TestNewCmdSSHServeFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    SSHServeOptions
		wantErr string
	}{
		{args: "", want: SSHServeOptions{Listen: sshserve.DefaultListen, MaxSessions: sshserve.DefaultMaxSessions, IdleTimeout: sshserve.DefaultIdleTimeout}},
		{
			args: "--listen 0.0.0.0:2200 --data-dir /d --authorized-keys /k --max-sessions 3 --idle-timeout 90s",
			want: SSHServeOptions{Listen: "0.0.0.0:2200", DataDir: "/d", AuthorizedKeys: "/k", MaxSessions: 3, IdleTimeout: 90 * time.Second},
		},
		{args: "--idle-timeout 0", want: SSHServeOptions{Listen: sshserve.DefaultListen, MaxSessions: sshserve.DefaultMaxSessions}},
		{args: "--max-sessions 0", wantErr: "--max-sessions must be at least 1"},
		{args: "--idle-timeout -1s", wantErr: "must not be negative"},
		{args: "--listen 2222", wantErr: "want host:port"},
		{args: "extra", wantErr: "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			var got *SSHServeOptions
			err := cmdtest.Run(t, cmdtest.Opts{}, tt.args, func(f *cmdutil.Factory) *cobra.Command {
				return newCmdSSHServe(f, nil, func(_ context.Context, o *SSHServeOptions) error {
					got = o
					return nil
				})
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
			if got.Listen != tt.want.Listen || got.DataDir != tt.want.DataDir || got.AuthorizedKeys != tt.want.AuthorizedKeys ||
				got.MaxSessions != tt.want.MaxSessions || got.IdleTimeout != tt.want.IdleTimeout {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestSSHServeRefusedOverSSH(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.New(ios)
	f.Remote = true
	cmd := NewCmdSSHServe(f, func(*cmdutil.Factory) *cobra.Command { return &cobra.Command{} })
	cmd.SetArgs([]string{})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err != cmdutil.ErrRemote {
		t.Errorf("err = %v, want ErrRemote", err)
	}
}

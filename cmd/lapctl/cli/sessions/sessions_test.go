package sessions

import (
	"lapctl/client"
	"lapctl/cmd/lapctl/cli/output"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
)

func TestNewCmdSend(t *testing.T) {
	tests := []struct {
		argv    string
		stdin   string
		tty     bool
		want    SendOptions
		wantErr bool
	}{
		{argv: `ses_1 "hello there"`, want: SendOptions{Ref: "ses_1", Message: "hello there", Timeout: client.DefaultMessageTimeout}},
		{argv: `ses_1 -m m2 --json hi`, want: SendOptions{Ref: "ses_1", Message: "hi", Model: "m2", JSON: true, Export: output.Export{Enabled: true}, Timeout: client.DefaultMessageTimeout}},
		{argv: `ses_1`, stdin: "from stdin\n", want: SendOptions{Ref: "ses_1", Message: "from stdin\n", Timeout: client.DefaultMessageTimeout}},
		{argv: `ses_1`, tty: true, wantErr: true},
		{argv: ``, wantErr: true},
		{argv: `ses_1 two words`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *SendOptions
			err := cmdtest.Run(t, cmdtest.Opts{TTY: tt.tty, Stdin: tt.stdin}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdSend(f, func(o *SendOptions) error { got = o; return nil })
			})
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Client, got.Caller = nil, nil, cmdutil.Caller{}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestNewCmdCreate(t *testing.T) {
	tests := []struct {
		argv    string
		tty     bool
		want    CreateOptions
		wantErr bool
	}{
		{argv: "--agent rev", want: CreateOptions{Agent: "rev"}},
		{argv: `-a rev -t "PR 42" -p "review it" -e A=1 -e B=x,y -m m1 --repository r --ref v1 --json`,
			want: CreateOptions{Agent: "rev", Title: "PR 42", Prompt: "review it", Env: []string{"A=1", "B=x,y"}, Model: "m1", Repository: "r", Ref: "v1", JSON: true, Export: output.Export{Enabled: true}}},
		{argv: "--agent rev --attach", tty: true, want: CreateOptions{Agent: "rev", AttachNow: true}},
		{argv: "--agent rev --attach", wantErr: true},
		{argv: "--agent rev --attach --json", tty: true, wantErr: true},
		{argv: "", wantErr: true},
		{argv: "rev", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *CreateOptions
			err := cmdtest.Run(t, cmdtest.Opts{TTY: tt.tty}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil })
			})
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Client, got.Attach, got.Caller = nil, nil, nil, cmdutil.Caller{}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

package skills

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// picker answers Select with the option that starts with want.
type picker struct {
	want    string
	offered []string
}

func (p *picker) Select(_ context.Context, _ string, options []string, def string) (string, error) {
	p.offered = options
	for _, o := range options {
		if strings.HasPrefix(o, p.want) {
			return o, nil
		}
	}
	return def, nil
}
func (p *picker) Confirm(context.Context, string, bool) (bool, error) { return false, nil }
func (p *picker) Input(context.Context, string, string, func(string) error) (string, error) {
	return "", nil
}
func (p *picker) Password(context.Context, string) (string, error) { return "", nil }

// TestNewCmdGet: `skills get` fills its Options from the flags, and its
// run function works on Options built by hand (no Factory), asking the
// hand-built Caller's Prompter to pick between two skills of one name.
func TestNewCmdGet(t *testing.T) {
	var got *GetOptions
	err := cmdtest.Run(t, cmdtest.Opts{}, "review --json", func(f *cmdutil.Factory) *cobra.Command {
		return NewCmdGet(f, func(o *GetOptions) error { got = o; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Ref != "review" || !got.JSON || !got.Export.Enabled || got.Client == nil || got.Caller.IO != got.IO || got.Now == nil {
		t.Errorf("parsed %+v", got)
	}

	srv := servertest.Start(t)
	c, err := client.New(client.Options{BaseURL: srv.URL, APIKey: srv.Key})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var second *spec.Skill
	for _, content := range []string{"first body", "second body"} {
		if second, err = c.CreateSkill(ctx, &spec.SkillSpec{Name: "review", Content: content}); err != nil {
			t.Fatal(err)
		}
	}
	ios, _, out, _ := iostreams.Test()
	ios.SetStdinTTY(true)
	ios.SetStdoutTTY(true)
	p := &picker{want: second.ID}
	opts := &GetOptions{
		IO:     ios,
		Client: func() (*client.Client, error) { return c, nil },
		Caller: cmdutil.Caller{IO: ios, Prompter: func() cmdutil.Prompter { return p }},
		Now:    time.Now,
		Ref:    "review",
	}
	if err := getRun(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if len(p.offered) != 2 {
		t.Errorf("offered %v, want both skills", p.offered)
	}
	if !strings.Contains(out.String(), second.ID) || !strings.Contains(out.String(), "second body") || strings.Contains(out.String(), "first body") {
		t.Errorf("printed the wrong skill:\n%s", out.String())
	}
}

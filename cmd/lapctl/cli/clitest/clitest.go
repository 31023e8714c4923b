// Package clitest runs lapctl commands in-process against a real embedded
// server, for the command packages' tests: each Env has its own server on
// 127.0.0.1:0, data dir and config file.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/config"
	"lapctl/iostreams"
	"lapctl/server/servertest"
)

// Owner is the owner_id of the test config's context.
const Owner = "tester"

// Env is a server plus a config file pointing at it.
type Env struct {
	T          testing.TB
	Srv        *servertest.Instance
	ConfigPath string
}

// New starts a server and writes a config whose current context "test"
// holds its URL, key and the owner Owner.
func New(t testing.TB, opts ...servertest.Option) *Env {
	t.Helper()
	srv := servertest.Start(t, opts...)
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.SetContext("test", &config.Context{BaseURL: srv.URL, MasterKey: srv.Key, OwnerID: Owner, DefaultModel: "anthropic/claude-sonnet-4-6"})
	cfg.CurrentContext = "test"
	if err := cfg.Save(); err != nil {
		t.Fatal(err)
	}
	return &Env{T: t, Srv: srv, ConfigPath: path}
}

// Result is what a command printed and its exit code.
type Result struct {
	Out, Err string
	Code     int
}

// Opts are the conditions a command runs in.
type Opts struct {
	Stdin string
	// TTY makes every stream a terminal of Width columns (80 if 0).
	TTY   bool
	Width int
	// Env is the environment the command sees (nothing else leaks in).
	Env map[string]string
	// Prompter answers prompts; nil fails the test if one is asked.
	Prompter cmdutil.Prompter
	// Factory, if set, adjusts the Factory before the run.
	Factory func(*cmdutil.Factory)
}

// Run runs lapctl args without a terminal.
func (e *Env) Run(args ...string) Result {
	e.T.Helper()
	return e.RunOpts(Opts{}, args...)
}

// RunOpts runs lapctl args under o.
func (e *Env) RunOpts(o Opts, args ...string) Result {
	e.T.Helper()
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	width := o.Width
	if width == 0 {
		width = 80
	}
	env := map[string]string{"NO_COLOR": "1"}
	for k, v := range o.Env {
		env[k] = v
	}
	ios := iostreams.New(strings.NewReader(o.Stdin), out, errOut, o.TTY, func() int { return width }, func(k string) string { return env[k] })
	f := cmdutil.New(ios)
	f.ConfigPath = e.ConfigPath
	f.Prompter = o.Prompter
	if f.Prompter == nil {
		f.Prompter = failPrompter{e.T}
	}
	if o.Factory != nil {
		o.Factory(f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := cli.Execute(ctx, f, args)
	return Result{Out: out.String(), Err: errOut.String(), Code: code}
}

// OK runs args, fails the test unless it exits 0, and returns stdout.
func (e *Env) OK(args ...string) string {
	e.T.Helper()
	r := e.Run(args...)
	if r.Code != 0 {
		e.T.Fatalf("lapctl %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.Code, r.Out, r.Err)
	}
	return r.Out
}

// JSON runs args (which should include --json), requires exit 0 and
// decodes stdout into v.
func (e *Env) JSON(v any, args ...string) {
	e.T.Helper()
	out := e.OK(args...)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		e.T.Fatalf("lapctl %s: stdout is not the expected JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Client is an API client on the server, to arrange and check state
// without going through the commands under test.
func (e *Env) Client() *client.Client {
	e.T.Helper()
	c, err := client.New(client.Options{BaseURL: e.Srv.URL, APIKey: e.Srv.Key})
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}

// Fail checks that r failed with code and that stderr contains every one
// of wants.
func (r Result) Fail(t testing.TB, code int, wants ...string) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.Code, code, r.Out, r.Err)
	}
	for _, w := range wants {
		if !strings.Contains(r.Err, w) {
			t.Errorf("stderr does not mention %q:\n%s", w, r.Err)
		}
	}
}

// FakePrompter answers prompts from fixed values and records the
// questions.
type FakePrompter struct {
	ConfirmAnswer bool
	Inputs        []string
	Passwords     []string
	// Selects answer Select in turn; none left picks the default.
	Selects []string
	// Offered records the options of every Select.
	Offered [][]string
	Asked   []string
}

// Select implements cmdutil.Selecter.
func (p *FakePrompter) Select(_ context.Context, title string, options []string, def string) (string, error) {
	p.Asked = append(p.Asked, title)
	p.Offered = append(p.Offered, options)
	if len(p.Selects) == 0 {
		return def, nil
	}
	v := p.Selects[0]
	p.Selects = p.Selects[1:]
	if !slices.Contains(options, v) {
		return "", fmt.Errorf("%q is not among the options %v", v, options)
	}
	return v, nil
}

// Confirm implements cmdutil.Prompter.
func (p *FakePrompter) Confirm(_ context.Context, title string, _ bool) (bool, error) {
	p.Asked = append(p.Asked, title)
	return p.ConfirmAnswer, nil
}

// Input implements cmdutil.Prompter: it returns the next of Inputs, or the
// default when none are left ("" keeps the default too).
func (p *FakePrompter) Input(_ context.Context, title, def string, validate func(string) error) (string, error) {
	p.Asked = append(p.Asked, title)
	v := def
	if len(p.Inputs) > 0 {
		if p.Inputs[0] != "" {
			v = p.Inputs[0]
		}
		p.Inputs = p.Inputs[1:]
	}
	if validate != nil {
		if err := validate(v); err != nil {
			return "", err
		}
	}
	return v, nil
}

// Password implements cmdutil.Prompter.
func (p *FakePrompter) Password(_ context.Context, title string) (string, error) {
	p.Asked = append(p.Asked, title)
	if len(p.Passwords) == 0 {
		return "", nil
	}
	v := p.Passwords[0]
	p.Passwords = p.Passwords[1:]
	return v, nil
}

type failPrompter struct{ t testing.TB }

func (p failPrompter) Confirm(_ context.Context, title string, _ bool) (bool, error) {
	p.t.Errorf("unexpected prompt %q", title)
	return false, cmdutil.ErrCancel
}

func (p failPrompter) Input(_ context.Context, title, _ string, _ func(string) error) (string, error) {
	p.t.Errorf("unexpected prompt %q", title)
	return "", cmdutil.ErrCancel
}

func (p failPrompter) Password(_ context.Context, title string) (string, error) {
	p.t.Errorf("unexpected prompt %q", title)
	return "", cmdutil.ErrCancel
}

// NewFor writes a config whose current context "test" points at any
// server (a platform fake) with key, owner Owner; Srv is nil.
func NewFor(t testing.TB, baseURL, key string) *Env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.SetContext("test", &config.Context{BaseURL: baseURL, MasterKey: key, OwnerID: Owner, DefaultModel: "anthropic/claude-sonnet-4-6"})
	cfg.CurrentContext = "test"
	if err := cfg.Save(); err != nil {
		t.Fatal(err)
	}
	return &Env{T: t, ConfigPath: path}
}

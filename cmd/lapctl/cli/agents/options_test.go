package agents

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/iostreams"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// TestNewCmdPause checks both halves of the Options pattern: the command
// fills its Options from the flags (captured through runF), and the run
// function works on Options built by hand, with no Factory anywhere.
func TestNewCmdPause(t *testing.T) {
	var got *StateOptions
	err := cmdtest.Run(t, cmdtest.Opts{}, "rev other --json", func(f *cmdutil.Factory) *cobra.Command {
		f.Identity = "ssh-user"
		return NewCmdPause(f, func(o *StateOptions) error { got = o; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Pause || !got.JSON || !reflect.DeepEqual(got.Refs, []string{"rev", "other"}) {
		t.Errorf("parsed %+v", got)
	}
	if got.Caller.Identity != "ssh-user" || got.Caller.IO != got.IO || got.Client == nil {
		t.Errorf("dependencies not filled from the Factory: %+v", got)
	}

	srv := servertest.Start(t)
	c, err := client.New(client.Options{BaseURL: srv.URL, APIKey: srv.Key})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "rev", OwnerID: "alice", Harness: "opencode"})
	if err != nil {
		t.Fatal(err)
	}
	ios, _, out, _ := iostreams.Test()
	hand := func(identity string) *StateOptions {
		return &StateOptions{
			IO:     ios,
			Client: func() (*client.Client, error) { return c, nil },
			Caller: cmdutil.Caller{IO: ios, Identity: identity},
			Pause:  true,
			Refs:   []string{"rev"},
		}
	}
	// Acting as another owner, the agent is not there.
	var refErr *client.RefError
	if err := stateRun(ctx, hand("mallory")); !errors.As(err, &refErr) {
		t.Fatalf("as another owner: %v, want not found", err)
	}
	if err := stateRun(ctx, hand("")); err != nil {
		t.Fatal(err)
	}
	if want := a.ID + "\tpaused\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	if now, err := c.GetAgent(ctx, a.ID); err != nil || now.Status != "paused" {
		t.Errorf("after pause: %+v %v", now, err)
	}
}

package agents

import (
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
)

func TestNewCmdCreate(t *testing.T) {
	tests := []struct {
		name    string
		argv    string
		tty     bool
		want    CreateOptions
		changed []string
		wantErr bool
	}{
		{name: "no flags, no terminal: refused, naming the flags", argv: "", wantErr: true},
		{name: "no flags on a terminal: builder", argv: "", tty: true, want: CreateOptions{Interactive: true}},
		{name: "a spec file on a terminal: no builder", argv: "-f a.yaml", tty: true, want: CreateOptions{FromFile: "a.yaml"}},
		{name: "--json alone on a terminal: builder", argv: "--json", tty: true, want: CreateOptions{JSON: true, Interactive: true}},
		{
			name: "fields",
			argv: `--name rev -m m1 --system "be kind" --env A=1 -e B=2 --mcp a,b --mcp c --skill s1 --skill s2 --file x:~/x --dry-run`,
			tty:  true,
			want: CreateOptions{DryRun: true, Spec: SpecFlags{Name: "rev", Model: "m1", System: "be kind", Env: []string{"A=1", "B=2"},
				MCP: []string{"a", "b", "c"}, Skills: []string{"s1", "s2"}, Files: []string{"x:~/x"}}},
			changed: []string{"name", "model", "system", "env", "mcp", "skill", "file"},
		},
		{name: "env values keep commas", argv: "--env LIST=a,b", want: CreateOptions{Spec: SpecFlags{Env: []string{"LIST=a,b"}}}, changed: []string{"env"}},
		{name: "empty system is a value", argv: "--system=", want: CreateOptions{}, changed: []string{"system"}},
		{name: "system and system-file", argv: "--system a --system-file b", wantErr: true},
		{name: "requirements twice", argv: "--requirements a --requirements-file b", wantErr: true},
		{name: "two stdin readers", argv: "--system-file - --env-file -", wantErr: true},
		{name: "positional argument", argv: "rev", wantErr: true},
		{name: "unknown flag", argv: "--nmae x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
			changed := map[string]bool{}
			for _, c := range tt.changed {
				changed[c] = true
			}
			tt.want.Spec.Changed = changed
			if !reflect.DeepEqual(got.Spec, tt.want.Spec) {
				t.Errorf("Spec = %+v\nwant  %+v", got.Spec, tt.want.Spec)
			}
			if got.FromFile != tt.want.FromFile || got.DryRun != tt.want.DryRun || got.JSON != tt.want.JSON || got.Interactive != tt.want.Interactive {
				t.Errorf("got FromFile=%q DryRun=%v JSON=%v Interactive=%v, want %q %v %v %v",
					got.FromFile, got.DryRun, got.JSON, got.Interactive, tt.want.FromFile, tt.want.DryRun, tt.want.JSON, tt.want.Interactive)
			}
		})
	}
}

func TestNewCmdEdit(t *testing.T) {
	tests := []struct {
		name    string
		argv    string
		tty     bool
		want    EditOptions
		wantErr bool
	}{
		{name: "no flags on a terminal: builder", argv: "rev", tty: true, want: EditOptions{Ref: "rev", Interactive: true}},
		{name: "no flags, no terminal", argv: "rev", wantErr: true},
		{name: "entry flags", argv: "rev --add-env A=1 --rm-env B --add-file x:~/x --rm-file ~/y --add-skill s --rm-skill t", tty: true,
			want: EditOptions{Ref: "rev", AddEnv: []string{"A=1"}, RmEnv: []string{"B"}, AddFile: []string{"x:~/x"}, RmFile: []string{"~/y"}, AddSkill: []string{"s"}, RmSkill: []string{"t"}}},
		{name: "spec file", argv: "rev -f a.yaml --json", want: EditOptions{Ref: "rev", FromFile: "a.yaml", JSON: true}},
		{name: "no agent", argv: "--model m", wantErr: true},
		{name: "two agents", argv: "a b --model m", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *EditOptions
			err := cmdtest.Run(t, cmdtest.Opts{TTY: tt.tty}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdEdit(f, func(o *EditOptions) error { got = o; return nil })
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
			if got.Ref != tt.want.Ref || got.Interactive != tt.want.Interactive || got.FromFile != tt.want.FromFile || got.JSON != tt.want.JSON ||
				!reflect.DeepEqual(got.AddEnv, tt.want.AddEnv) || !reflect.DeepEqual(got.RmEnv, tt.want.RmEnv) ||
				!reflect.DeepEqual(got.AddFile, tt.want.AddFile) || !reflect.DeepEqual(got.RmFile, tt.want.RmFile) ||
				!reflect.DeepEqual(got.AddSkill, tt.want.AddSkill) || !reflect.DeepEqual(got.RmSkill, tt.want.RmSkill) {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		argv    string
		want    ListOptions
		wantErr bool
	}{
		{argv: "", want: ListOptions{Limit: 50}},
		{argv: "--owner o -s q -L 10 --offset 20 --sort name --order asc --json", want: ListOptions{Owner: "o", Search: "q", Limit: 10, Offset: 20, Sort: "name", Order: "asc", JSON: true, Export: output.Export{Enabled: true}}},
		{argv: "--json id,name", want: ListOptions{Limit: 50, JSON: true, Export: output.Export{Enabled: true, Fields: []string{"id", "name"}}}},
		{argv: "--all", want: ListOptions{Limit: 50, All: true}},
		{argv: "--all --offset 1", wantErr: true},
		{argv: "--limit 0", wantErr: true},
		{argv: "--offset -1", wantErr: true},
		{argv: "--sort size", wantErr: true},
		{argv: "--order sideways", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *ListOptions
			err := cmdtest.Run(t, cmdtest.Opts{}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
				return NewCmdList(f, func(o *ListOptions) error { got = o; return nil })
			})
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				if _, ok := err.(*cmdutil.FlagError); !ok {
					t.Errorf("error %T is not a usage error (exit 2)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Client, got.Now = nil, nil, nil
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestNewCmdListIdentityWinsOverOwner(t *testing.T) {
	var got *ListOptions
	err := cmdtest.Run(t, cmdtest.Opts{}, "--owner someone-else", func(f *cmdutil.Factory) *cobra.Command {
		f.Identity = "ssh-user"
		return NewCmdList(f, func(o *ListOptions) error { got = o; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Owner != "ssh-user" {
		t.Errorf("Owner = %q: an SSH user must only see their own agents", got.Owner)
	}
}

func TestNewCmdDelete(t *testing.T) {
	var got *DeleteOptions
	if err := cmdtest.Run(t, cmdtest.Opts{}, "a b -y --json", func(f *cmdutil.Factory) *cobra.Command {
		return NewCmdDelete(f, func(o *DeleteOptions) error { got = o; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Refs, []string{"a", "b"}) || !got.Yes || !got.JSON {
		t.Errorf("got %+v", got)
	}
	if err := cmdtest.Run(t, cmdtest.Opts{}, "", func(f *cmdutil.Factory) *cobra.Command { return NewCmdDelete(f, nil) }); err == nil {
		t.Error("delete with no agent: want an error")
	}
}

func TestSplitFileArg(t *testing.T) {
	for _, tc := range []struct{ in, local, path string }{
		{"./a.md:~/a.md", "./a.md", "~/a.md"},
		{"a.md:/etc/a.md", "a.md", "/etc/a.md"},
		{"C:/x/a.md:/a.md", "C:/x/a.md", "/a.md"},
		{"dir:with:colons/a:~/a", "dir:with:colons/a", "~/a"},
	} {
		local, path, err := splitFileArg("--file", tc.in)
		if err != nil || local != tc.local || path != tc.path {
			t.Errorf("splitFileArg(%q) = %q, %q, %v", tc.in, local, path, err)
		}
	}
	for _, bad := range []string{"a.md", ":~/a", "a.md:rel/path"} {
		if _, _, err := splitFileArg("--file", bad); err == nil {
			t.Errorf("splitFileArg(%q): want an error", bad)
		}
	}
}

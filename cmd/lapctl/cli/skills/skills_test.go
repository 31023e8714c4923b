package skills

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdtest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

func TestNewCmdEdit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.md")
	if err := os.WriteFile(file, []byte("from file"), 0o600); err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	tests := []struct {
		name    string
		argv    string
		stdin   string
		tty     bool
		want    spec.SkillPatch
		editor  bool
		wantErr bool
	}{
		{name: "name", argv: "s1 --name new", want: spec.SkillPatch{Name: str("new")}},
		{name: "empty description is a change", argv: "s1 --description=", want: spec.SkillPatch{Description: str("")}},
		{name: "content file", argv: "s1 --content-file " + file, want: spec.SkillPatch{Content: str("from file")}},
		{name: "content stdin", argv: "s1 --content-file -", stdin: "piped", want: spec.SkillPatch{Content: str("piped")}},
		{name: "no flags on a terminal: editor", argv: "s1", tty: true, editor: true},
		{name: "no flags, no terminal", argv: "s1", wantErr: true},
		{name: "both contents", argv: "s1 --content a --content-file " + file, wantErr: true},
		{name: "no skill", argv: "--name x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *EditOptions
			err := cmdtest.Run(t, cmdtest.Opts{TTY: tt.tty, Stdin: tt.stdin}, tt.argv, func(f *cmdutil.Factory) *cobra.Command {
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
			if got.Ref != "s1" || got.UseEditor != tt.editor || !reflect.DeepEqual(got.Patch, tt.want) {
				t.Errorf("got ref %q editor %v patch %+v, want editor %v patch %+v", got.Ref, got.UseEditor, got.Patch, tt.editor, tt.want)
			}
		})
	}
}

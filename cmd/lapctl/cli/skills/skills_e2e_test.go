package skills_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/cmd/lapctl/cli/clitest"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// remote makes the command run as for an SSH user.
func remote(f *cmdutil.Factory) { f.Remote, f.Identity = true, clitest.Owner }

func TestSkillsLifecycle(t *testing.T) {
	e := clitest.New(t)
	file := filepath.Join(t.TempDir(), "review.md")
	if err := os.WriteFile(file, []byte("Review carefully.\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	var s spec.Skill
	e.JSON(&s, "skills", "create", "--name", "review", "--description", "Code review", "--content-file", file, "--json")
	if s.Name != "review" || s.Description != "Code review" || s.Content != "Review carefully.\n" || s.OwnerID != clitest.Owner || !strings.HasPrefix(s.ID, "skill_") {
		t.Errorf("created %+v", s)
	}
	r := e.RunOpts(clitest.Opts{Stdin: "From stdin."}, "skills", "create", "--name", "piped", "--content-file", "-")
	if r.Code != 0 || !strings.HasPrefix(r.Out, "skill_") {
		t.Fatalf("create from stdin: %d %q %q", r.Code, r.Out, r.Err)
	}
	e.OK("skills", "create", "--name", "inline", "--content", "Inline.")

	e.Run("skills", "create", "--name", "x").Fail(t, 2, "--content")
	e.Run("skills", "create", "--name", "x", "--content", "a", "--content-file", file).Fail(t, 2, "cannot be used together")
	e.Run("skills", "create", "--content", "a").Fail(t, 7, "name", "[required]")
	e.Run("skills", "create", "--name", "x", "--content", " ").Fail(t, 7, "content", "[required]")

	var all []spec.Skill
	e.JSON(&all, "skills", "list", "--json")
	if len(all) != 3 {
		t.Errorf("list: %d skills", len(all))
	}
	rows := strings.Split(strings.TrimSpace(e.OK("skills", "list")), "\n")
	if len(rows) != 3 || len(strings.Split(rows[0], "\t")) != 5 {
		t.Errorf("piped rows: %q", rows)
	}

	var got spec.Skill
	e.JSON(&got, "skills", "get", "piped", "--json")
	if got.Content != "From stdin." {
		t.Errorf("get piped: %+v", got)
	}
	if out := e.OK("skills", "get", "review"); !strings.Contains(out, "Content:") || !strings.Contains(out, "Review carefully.") {
		t.Errorf("detail:\n%s", out)
	}

	var edited spec.Skill
	e.JSON(&edited, "skills", "edit", "review", "--description", "Careful review", "--json")
	if edited.Description != "Careful review" || edited.Content != "Review carefully.\n" {
		t.Errorf("edited %+v", edited)
	}
	e.Run("skills", "edit", "review").Fail(t, 2, "nothing to change")
	e.Run("skills", "edit", "review", "--name", "").Fail(t, 7, "name", "[not_blank]")

	e.Run("skills", "delete", "inline").Fail(t, 2, "--yes")
	if out := e.OK("skills", "delete", "inline", "--yes"); strings.TrimSpace(out) == "" {
		t.Error("delete printed nothing")
	}
	e.Run("skills", "get", "inline").Fail(t, 3)
}

func TestSkillEditOpensEditor(t *testing.T) {
	e := clitest.New(t)
	c := e.Client()
	s, err := c.CreateSkill(context.Background(), &spec.SkillSpec{Name: "ed", Content: "old", OwnerID: clitest.Owner})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The "editor" records the temp file's mode, then rewrites the file.
	editor := filepath.Join(dir, "editor.sh")
	script := "#!/bin/sh\nstat -c %a \"$1\" > " + filepath.Join(dir, "mode") + "\nprintf 'new content' > \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	r := e.RunOpts(clitest.Opts{TTY: true, Env: map[string]string{"EDITOR": editor}}, "skills", "edit", "ed")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Err)
	}
	got, _ := c.GetSkill(context.Background(), s.ID)
	if got.Content != "new content" {
		t.Errorf("content = %q", got.Content)
	}
	if mode, _ := os.ReadFile(filepath.Join(dir, "mode")); strings.TrimSpace(string(mode)) != "600" {
		t.Errorf("temp file mode = %q, want 600", mode)
	}

	// An editor that changes nothing sends nothing.
	r = e.RunOpts(clitest.Opts{TTY: true, Env: map[string]string{"EDITOR": "true"}}, "skills", "edit", "ed")
	if r.Code != 0 || !strings.Contains(r.Err, "No changes") {
		t.Errorf("unchanged edit: %d %q", r.Code, r.Err)
	}
	e.RunOpts(clitest.Opts{TTY: true, Env: map[string]string{"EDITOR": "false"}}, "skills", "edit", "ed").Fail(t, 1, "exited with status 1")
	e.RunOpts(clitest.Opts{TTY: true, Env: map[string]string{"EDITOR": editor}, Factory: remote}, "skills", "edit", "ed").Fail(t, 1, "not available over SSH")
}

func TestSkillInUseCannotBeDeleted(t *testing.T) {
	e := clitest.New(t)
	c := e.Client()
	s, _ := c.CreateSkill(context.Background(), &spec.SkillSpec{Name: "used", Content: "x", OwnerID: clitest.Owner})
	if _, err := c.CreateAgent(context.Background(), &spec.AgentSpec{Name: "user", OwnerID: clitest.Owner, SkillIDs: []string{s.ID}}); err != nil {
		t.Fatal(err)
	}
	e.Run("skills", "delete", "used", "--yes").Fail(t, 5, "user")
}

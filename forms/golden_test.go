package forms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"lapctl/spec"
)

// Golden frames: the builder run as a real tea.Program (teatest) at 80×24
// in the ASCII profile (what NO_COLOR gives), its final frame stripped of
// escapes and compared with testdata/<test>.golden. Regenerate with: go test ./forms -run
// TestGolden -update

type program struct {
	t   *testing.T
	tm  *teatest.TestModel
	rec *recorder
}

func startProgram(t *testing.T, opts Options) *program {
	t.Helper()
	return startProgramAt(t, opts, "Step 1 of 10")
}

// startProgramAt starts the builder and waits for first, its first step
// as the server's platform shapes it.
func startProgramAt(t *testing.T, opts Options, first string) *program {
	t.Helper()
	b := NewBuilder(opts)
	t.Cleanup(b.cancel)
	rec := &recorder{Model: &runner{b: b}}
	p := &program{t: t, rec: rec, tm: teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))}
	p.waitFor(first)
	return p
}

// waitFor waits until the program has drawn want: keys sent before a
// step changes could reach the old step, so each change is waited for.
func (p *program) waitFor(want string) {
	p.t.Helper()
	p.rec.WaitFor(p.t, want)
}

func (p *program) keys(keys ...string) {
	for _, k := range keys {
		p.tm.Send(keyMsg(k))
	}
}

func (p *program) typeText(s string) { p.tm.Type(s) }

// golden quits and compares the final frame.
func (p *program) golden() {
	p.t.Helper()
	if err := p.tm.Quit(); err != nil {
		p.t.Fatal(err)
	}
	rec := p.tm.FinalModel(p.t, teatest.WithFinalTimeout(10*time.Second)).(*recorder)
	view := ansi.Strip(rec.Model.(*runner).b.View())
	for i, line := range strings.Split(view, "\n") {
		if w := len([]rune(line)); w > 80 {
			p.t.Errorf("line %d is %d columns wide: %q", i+1, w, line)
		}
	}
	if n := strings.Count(view, "\n") + 1; n > 24 {
		p.t.Errorf("frame is %d lines tall", n)
	}
	teatest.RequireEqualOutput(p.t, []byte(view))
}

// walkStep is keys to press and what shows once they took effect: each
// step is waited for before the next keys, as a person would.
type walkStep struct {
	keys []string
	next string
}

// toEnvStep walks a draft whose first steps are filled in from step 1 to
// the env vars (step 6).
var toEnvStep = []walkStep{
	{[]string{"enter", "enter", "enter"}, "Step 2 of 10"},
	{[]string{"enter"}, "Step 3 of 10"},
	{[]string{"enter"}, "Step 4 of 10"},
	{[]string{"enter", "tab"}, "Step 5 of 10"},
	{[]string{"enter"}, "Step 6 of 10"},
}

// toReview walks on from the env vars to the review, keeping each field.
var toReview = []walkStep{
	{[]string{"tab"}, "Step 7 of 10"},
	{[]string{"tab"}, "Step 8 of 10"},
	{[]string{"enter", "enter"}, "Step 9 of 10"},
	{[]string{"enter", "tab"}, "Step 10 of 10"},
	{[]string{"enter", "enter", "enter"}, "What now?"},
}

func (p *program) walk(steps []walkStep) {
	p.t.Helper()
	for _, st := range steps {
		p.keys(st.keys...)
		p.waitFor(st.next)
	}
}

func TestGoldenBasics(t *testing.T) {
	srv := newFakeServer(t)
	p := startProgram(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: t.TempDir()})
	p.keys("enter")
	p.waitFor("name is required")
	p.golden()
}

func TestGoldenHarness(t *testing.T) {
	srv := newFakeServer(t)
	p := startProgram(t, Options{Client: srv.client(t), OwnerID: "me", StartDir: t.TempDir()})
	p.typeText("reviewer")
	p.keys("enter", "enter", "enter")
	p.waitFor("Step 2 of 10")
	p.keys("down", "down")
	p.waitFor("> Claude Code")
	p.golden()
}

func TestGoldenEnv(t *testing.T) {
	srv := newFakeServer(t)
	p := startProgram(t, Options{Client: srv.client(t), StartDir: t.TempDir(), Initial: &spec.AgentSpec{
		Name: "env-demo", OwnerID: "me", EnvVars: map[string]string{"GITHUB_TOKEN": "ghp_secret", "GIT_TOKEN": "x", "LOG_LEVEL": "info"},
	}})
	p.walk(toEnvStep)
	p.keys("tab")
	p.waitFor("Fix the env vars first")
	p.golden()
}

func TestGoldenFiles(t *testing.T) {
	srv := newFakeServer(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# Notes\n"), 0o644)
	p := startProgram(t, Options{Client: srv.client(t), StartDir: dir, Initial: &spec.AgentSpec{
		Name: "files-demo", OwnerID: "me",
		SandboxFiles: []spec.SandboxFile{{Name: "data.json", SandboxPath: "/etc/app/data.json", Content: "e30=", Size: 2, ContentType: "application/json"}},
	}})
	p.walk(toEnvStep)
	p.keys("tab")
	p.waitFor("Step 7 of 10")
	p.keys("a")
	p.waitFor("Choose a file to add")
	p.keys("enter")
	p.waitFor("Sandbox path for notes.md")
	p.keys("end", "ctrl+u")
	p.typeText("notes.md")
	p.waitFor(`sandbox_path "notes.md" must start with`)
	p.golden()
}

func TestGoldenReview(t *testing.T) {
	srv := newFakeServer(t)
	s := fullSpec()
	s.Tools, s.Config = nil, nil
	p := startProgram(t, Options{Client: srv.client(t), StartDir: t.TempDir(), Initial: s})
	p.walk(toEnvStep)
	p.walk(toReview)
	p.golden()
}

func TestGoldenDone(t *testing.T) {
	srv := newFakeServer(t)
	s := fullSpec()
	p := startProgram(t, Options{Client: srv.client(t), StartDir: t.TempDir(), Initial: s})
	p.walk(toEnvStep)
	p.walk(toReview)
	p.keys("enter")
	p.waitFor("Created agent")
	p.golden()
}

// TestGoldenFilePicker: the picker gone up from its start folder, hidden
// files shown, a typed path completed with several candidates.
func TestGoldenFilePicker(t *testing.T) {
	srv := newFakeServer(t)
	root := t.TempDir()
	pickerTree(t, root, "start/notes.md", "start/.env", "notes-old.md", "notes-new.md", "docs/")
	t.Setenv("HOME", root) // the folder shows as ~, the same in every run
	p := startProgram(t, Options{Client: srv.client(t), StartDir: filepath.Join(root, "start"), Initial: &spec.AgentSpec{Name: "files-demo", OwnerID: "me"}})
	p.walk(toEnvStep)
	p.keys("tab")
	p.waitFor("Step 7 of 10")
	p.keys("a")
	p.waitFor("Choose a file to add")
	p.keys(".")
	p.waitFor(".env")
	p.keys("h")
	p.waitFor("docs/")
	p.keys("p")
	p.typeText("no")
	p.keys("tab")
	p.waitFor("notes-new.md  notes-old.md")
	p.golden()
}

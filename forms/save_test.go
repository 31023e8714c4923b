package forms

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.yaml.in/yaml/v3"

	"lapctl/spec"
)

// specWithFiles is an agent with n random files of size bytes each.
func specWithFiles(tb testing.TB, n, size int) *spec.AgentSpec {
	tb.Helper()
	s := &spec.AgentSpec{Name: "big", OwnerID: "me", Model: "m", EnvVars: map[string]string{"K": "v"}}
	for i := range n {
		data := make([]byte, size)
		rand.Read(data)
		s.SandboxFiles = append(s.SandboxFiles, spec.SandboxFile{
			Name: fmt.Sprintf("f%d.bin", i), SandboxPath: fmt.Sprintf("~/f%d.bin", i),
			ContentType: "application/octet-stream", Size: int64(size), Content: base64.StdEncoding.EncodeToString(data),
		})
	}
	return s
}

// BenchmarkSaveSpec5MB saves an agent with 5 MB of files (five 1 MB
// files) to a spec file: go test ./forms -run '^$' -bench SaveSpec
func BenchmarkSaveSpec5MB(b *testing.B) {
	s := specWithFiles(b, 5, 1<<20)
	path := filepath.Join(b.TempDir(), "big.yaml")
	b.SetBytes(5 << 20)
	for b.Loop() {
		if msg := saveSpec(s, path)().(savedMsg); msg.err != nil {
			b.Fatal(msg.err)
		}
	}
}

// pendingSave presses enter on the save prompt and runs what follows
// until the save has started, leaving its reports unread, so a test can
// step the save report by report.
func pendingSave(t *testing.T, d *driver) tea.Cmd {
	t.Helper()
	_, cmd := d.b.Update(keyMsg("enter"))
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 && d.b.review.save == nil {
		c := queue[0]
		queue = queue[1:]
		if c == nil || timerCmd(c) {
			continue
		}
		msg := c()
		if batch, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, batch...)
			continue
		}
		_, next := d.b.Update(msg)
		queue = append(queue, next)
	}
	if d.b.review.save == nil {
		t.Fatal("the save did not start")
	}
	return d.b.review.save.wait()
}

// TestSaveShowsProgressAndStops: a spec with 3 MiB of files is saved in
// the background with a progress bar (the screen stays drawn), and esc
// stops it, leaving the file it was to replace as it was and no
// temporary file behind.
func TestSaveShowsProgressAndStops(t *testing.T) {
	srv := newFakeServer(t)
	s := specWithFiles(t, 3, 1<<20)
	s.Harness, s.Model = "claude-code", "anthropic/claude-opus-4-5"
	d := reviewDriver(t, srv, s)
	d.press("down", "down", "enter")
	d.see("Save the spec to")
	path := filepath.Join(d.b.opts.StartDir, "big.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wait := pendingSave(t, d)
	d.see("Saving the spec to " + path)
	msg := wait().(saveProgressMsg)
	_, _ = d.b.Update(msg)
	d.see("Saving the spec to "+path, "256 KiB of 4.0 MiB", "esc stop saving")
	if v := d.view(); !strings.Contains(v, "█") || !strings.Contains(v, "░") {
		t.Fatalf("no progress bar:\n%s", v)
	}
	d.press("esc")
	d.see("Stopped saving: "+path+" was not written.", "Save the spec to", "> "+path)
	waitNoTemp(t, d.b.opts.StartDir)
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Fatalf("the stopped save changed the file: %.40q", data)
	}

	// Saved in full, the next time.
	d.press("enter")
	d.see("Saved to " + path)
	data, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(data, []byte(`content: "`+s.SandboxFiles[2].Content+`"`)) {
		t.Fatalf("saved %d bytes, err %v", len(data), err)
	}
	waitNoTemp(t, d.b.opts.StartDir)
}

// waitNoTemp waits for a stopped save's goroutine to remove its file.
func waitNoTemp(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
		if len(tmps) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("temporary files left: %v", tmps)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSavedContentsLoad: the quoted contents read back as the same base64,
// even one YAML would take for a number or a boolean unquoted.
func TestSavedContentsLoad(t *testing.T) {
	s := specWithFiles(t, 2, 1000)
	s.SandboxFiles[1].Content, s.SandboxFiles[1].Size = "1234", 3 // valid base64, and an int to YAML
	path := filepath.Join(t.TempDir(), "a.yaml")
	if msg := saveSpec(s, path)().(savedMsg); msg.err != nil {
		t.Fatal(msg.err)
	}
	data, _ := os.ReadFile(path)
	var back struct {
		Files []struct {
			Content any `yaml:"content"`
		} `yaml:"sandbox_files"`
	}
	if err := yaml.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for i, f := range back.Files {
		if f.Content != s.SandboxFiles[i].Content {
			t.Errorf("file %d content = %v", i, f.Content)
		}
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", info.Mode().Perm())
	}
}

// BenchmarkLoadSpec5MB reads such a file as agents create -f does (YAML
// into a map): go test ./forms -run '^$' -bench LoadSpec
func BenchmarkLoadSpec5MB(b *testing.B) {
	s := specWithFiles(b, 5, 1<<20)
	path := filepath.Join(b.TempDir(), "big.yaml")
	if msg := saveSpec(s, path)().(savedMsg); msg.err != nil {
		b.Fatal(msg.err)
	}
	data, _ := os.ReadFile(path)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCtrlCDuringSaveLeavesNoFile: discarding the builder mid-save stops
// the write; neither the target nor a temporary file is left.
func TestCtrlCDuringSaveLeavesNoFile(t *testing.T) {
	srv := newFakeServer(t)
	s := specWithFiles(t, 2, 1<<20)
	s.Harness, s.Model = "claude-code", "anthropic/claude-opus-4-5"
	d := reviewDriver(t, srv, s)
	d.press("down", "down", "enter")
	path := filepath.Join(d.b.opts.StartDir, "big.yaml")
	wait := pendingSave(t, d)
	_, _ = d.b.Update(wait().(saveProgressMsg))
	d.press("ctrl+c", "ctrl+c")
	if _, ok := d.emitted().(CancelMsg); !ok {
		t.Fatalf("emitted %T", d.emitted())
	}
	waitNoTemp(t, d.b.opts.StartDir)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the discarded save left %s (%v)", path, err)
	}
}

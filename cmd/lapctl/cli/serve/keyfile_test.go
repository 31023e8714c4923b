package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got, err := ReadKeyFile(write("ok", "sk-from-file\n", 0o600)); err != nil || got != "sk-from-file" {
		t.Errorf("0600 key file = %q, %v", got, err)
	}
	for name, c := range map[string]struct {
		content string
		mode    os.FileMode
		want    string
	}{
		"open":  {"sk-x\n", 0o644, "chmod 600"},
		"group": {"sk-x\n", 0o640, "chmod 600"},
		"empty": {"\n", 0o600, "one line"},
		"two":   {"sk-a\nsk-b\n", 0o600, "one line"},
	} {
		_, err := ReadKeyFile(write(name, c.content, c.mode))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one saying %q", name, err, c.want)
		}
	}
	if _, err := ReadKeyFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing key file was accepted")
	}
}

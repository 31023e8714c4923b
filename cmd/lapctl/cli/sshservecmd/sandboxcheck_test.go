package sshservecmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lapctl/server"
	"lapctl/server/servertest"
)

// Owner-mapped keys make owners a boundary, which holds only when the
// server's sessions are sandboxed: over a --no-sandbox server ssh-serve
// refuses to start, saying why.
func TestOwnerKeysRequireTheSandbox(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	owned := write("owned", `environment="LAPCTL_OWNER=alice" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvJ4f1e alice@laptop`+"\n")
	plain := write("plain", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvJ4f1e op@host\n")
	open := servertest.Start(t, servertest.WithOptions(func(o *server.Options) { o.NoSandbox = true }))
	boxed := servertest.Start(t)
	ctx := context.Background()

	err := requireSandbox(ctx, open.URL, owned)
	if err == nil || !strings.Contains(err.Error(), "--no-sandbox") || !strings.Contains(err.Error(), "LAPCTL_OWNER") {
		t.Errorf("owner keys over an unsandboxed server: %v", err)
	}
	if err := requireSandbox(ctx, boxed.URL, owned); err != nil {
		t.Errorf("owner keys over a sandboxed server: %v", err)
	}
	if err := requireSandbox(ctx, open.URL, plain); err != nil {
		t.Errorf("operator-only keys need no sandbox: %v", err)
	}
}

package sshserve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/ssh"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"lapctl/internal/sshtest"
	"lapctl/internal/testutil"
	"lapctl/iostreams"
	"lapctl/spec"
)

// owned is k's authorized_keys line mapped to owner.
func owned(k sshtest.Key, owner string) string {
	return fmt.Sprintf(`environment="LAPCTL_OWNER=%s" %s test@%s`, owner, k.Line, owner)
}

func writeFile(t testing.TB, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testServer is a Server on 127.0.0.1:0 with a temp data dir.
type testServer struct {
	*Server
	addr     string
	keysPath string
	logs     *testutil.SyncBuffer
	served   chan error
}

// startServer starts a server allowing keys (authorized_keys lines);
// stand-ins fill NewCommand and NewConsole when opts leaves them nil.
func startServer(t testing.TB, opts Options, keys ...string) *testServer {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	if opts.AuthorizedKeys == "" {
		opts.AuthorizedKeys = filepath.Join(t.TempDir(), "authorized_keys")
		writeFile(t, opts.AuthorizedKeys, keys...)
	}
	logs := &testutil.SyncBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.NewCommand == nil {
		opts.NewCommand = standInCommand
	}
	if opts.NewConsole == nil {
		opts.NewConsole = standInConsole("")
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: srv, addr: ln.Addr().String(), keysPath: opts.AuthorizedKeys, logs: logs, served: make(chan error, 1)}
	go func() { ts.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-ts.served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return ts
}

// dial connects as user with key, checking the server's host key.
func (ts *testServer) dial(t testing.TB, key sshtest.Key, user string) (*gossh.Client, error) {
	t.Helper()
	return sshtest.Dial(t, ts.addr, user, key.Signer, gossh.FixedHostKey(ts.hostKey.PublicKey()))
}

func (ts *testServer) mustDial(t testing.TB, key sshtest.Key, user string) *gossh.Client {
	t.Helper()
	c, err := ts.dial(t, key, user)
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	return c
}

// standInCommand is a tiny command tree: what the server hands a command
// session, without the real lapctl tree.
func standInCommand(ios *iostreams.IOStreams, id Identity) *cobra.Command {
	root := &cobra.Command{Use: "lapctl", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(
		&cobra.Command{Use: "whoami", RunE: func(*cobra.Command, []string) error {
			return json.NewEncoder(ios.Out).Encode(map[string]any{
				"user": id.User, "owner": id.OwnerID, "fingerprint": id.Fingerprint,
				"tty": ios.IsStdoutTTY(), "base": ios.Getenv("LITELLM_API_BASE"), "lang": ios.Getenv("LANG"),
			})
		}},
		&cobra.Command{Use: "cat", RunE: func(*cobra.Command, []string) error {
			_, err := io.Copy(ios.Out, ios.In)
			return err
		}},
		&cobra.Command{Use: "fail", RunE: func(*cobra.Command, []string) error {
			return errors.New("it failed")
		}},
		&cobra.Command{Use: "wait", RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(ios.Out, "waiting")
			<-cmd.Context().Done()
			return cmd.Context().Err()
		}},
	)
	return root
}

// standInConsole is a tiny console: shows who and how big, "a" attaches
// to target, "q" quits.
func standInConsole(target string) func(ssh.Session, Terminal, Identity, AttachFunc) (tea.Model, error) {
	return func(_ ssh.Session, _ Terminal, id Identity, attach AttachFunc) (tea.Model, error) {
		return &standIn{id: id, bold: lipgloss.NewStyle().Bold(true), attach: attach, target: target}, nil
	}
}

type standIn struct {
	id     Identity
	bold   lipgloss.Style
	attach AttachFunc
	target string
	w, h   int
	status string
}

type attachEnded struct{ err error }

func (m *standIn) Init() tea.Cmd { return nil }

func (m *standIn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case attachEnded:
		m.status = fmt.Sprintf("attach ended (err=%v)", msg.err)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "a":
			cmd, err := m.attach(&spec.Session{ID: m.target})
			if err != nil {
				m.status = "attach refused: " + err.Error()
				return m, nil
			}
			return m, tea.Exec(cmd, func(err error) tea.Msg { return attachEnded{err} })
		}
	}
	return m, nil
}

func (m *standIn) View() tea.View {
	v := tea.NewView(fmt.Sprintf("%s owner=%s size=%dx%d\n%s\n", m.bold.Render("stand-in console"), m.id.OwnerID, m.w, m.h, m.status))
	v.AltScreen = true
	return v
}

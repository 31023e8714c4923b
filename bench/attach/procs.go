package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/creack/pty"

	"lapctl/bench/ptybench"
	"lapctl/client"
	"lapctl/spec"
)

const benchKey = "sk-bench"

// env is a running `lapctl serve` with a /bin/sh TUI session.
type env struct {
	bin, dir, base string
	serve          *exec.Cmd
	session        string
	agent          string // the /bin/sh agent, for more sessions
}

// freeAddr picks a loopback port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func startEnv(bin string) (*env, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%w (build it first: make build)", err)
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "lapctl-bench-")
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	e := &env{bin: abs, dir: dir, base: "http://" + addr}
	e.serve = exec.Command(abs, "serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"),
		"--master-key", benchKey, "--harness-cmd", "claude-code=/bin/sh", "--log-level", "error")
	e.serve.Env = e.environ()
	e.serve.Stderr = os.Stderr
	if err := e.serve.Start(); err != nil {
		return nil, err
	}
	if err := e.waitHealthy(20 * time.Second); err != nil {
		e.close()
		return nil, err
	}
	if err := e.createSession(); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

// environ is a clean environment: no config or keys of the person
// running the benchmark leak in.
func (e *env) environ() []string {
	return append(shellEnv(e.dir),
		"LAPCTL_CONFIG="+filepath.Join(e.dir, "config.yaml"),
		"LITELLM_API_BASE="+e.base, "LITELLM_MASTER_KEY="+benchKey)
}

func (e *env) waitHealthy(d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		resp, err := http.Get(e.base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond) // the server has no readiness signal to wait on
	}
	return errors.New("lapctl serve did not become healthy")
}

func (e *env) createSession() error {
	ctx := context.Background()
	c, err := client.New(client.Options{BaseURL: e.base, APIKey: benchKey})
	if err != nil {
		return err
	}
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "bench-shell", OwnerID: "bench", Harness: "claude-code"})
	if err != nil {
		return err
	}
	if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
		return err
	}
	s, err := c.CreateSession(ctx, &spec.SessionSpec{AgentID: a.ID, Title: "bench"})
	if err != nil {
		return err
	}
	e.session, e.agent = s.ID, a.ID
	return nil
}

func (e *env) close() {
	if e.serve != nil && e.serve.Process != nil {
		e.serve.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { e.serve.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			e.serve.Process.Kill()
			<-done
		}
	}
	os.RemoveAll(e.dir)
}

// shell is a process on a pty that the benchmark types into.
type shell struct {
	name   string
	cmd    *exec.Cmd
	master *os.File
	screen *ptybench.Screen
}

func startOnPTY(name string, cmd *exec.Cmd) (*shell, error) {
	master, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	return &shell{name: name, cmd: cmd, master: master, screen: ptybench.NewScreen(master)}, nil
}

// localShell is the baseline: /bin/sh on a local pty.
func localShell(dir string) (*shell, error) {
	cmd := exec.Command("/bin/sh")
	cmd.Env = shellEnv(dir)
	return startOnPTY("local pty", cmd)
}

// shellEnv is the environment every contender's shell starts from, so
// none differs from another in what it inherits.
func shellEnv(dir string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color", "PS1=$ "}
}

// relayShell is /bin/sh behind script(1) (util-linux) on a pty: two ptys
// and a read/write loop in C between them, the path of an attach without
// its network and protocol. Nil when script is not installed.
func relayShell(dir string) (*shell, error) {
	bin, err := exec.LookPath("script")
	if err != nil {
		return nil, nil
	}
	// -q: no "Script started" banner; /dev/null: no typescript kept.
	cmd := exec.Command(bin, "-q", "-c", "/bin/sh", "/dev/null")
	cmd.Env = append(shellEnv(dir), "SHELL=/bin/sh")
	return startOnPTY("2-pty relay", cmd)
}

// attach runs `lapctl attach` on a pty, as a person would in a terminal.
func (e *env) attach() (*shell, error) {
	cmd := exec.Command(e.bin, "attach", e.session)
	cmd.Env = e.environ()
	sh, err := startOnPTY("lapctl attach", cmd)
	if err != nil {
		return nil, err
	}
	if _, err := sh.screen.Expect("detach with ctrl-]", 20*time.Second); err != nil {
		sh.close()
		return nil, err
	}
	return sh, nil
}

// detach leaves the session with the detach key and checks lapctl exits 0.
func (sh *shell) detach() error {
	if err := sh.screen.Type("\x1d"); err != nil {
		return err
	}
	if _, err := sh.screen.Expect("reattach with", 10*time.Second); err != nil {
		return err
	}
	return sh.cmd.Wait()
}

func (sh *shell) close() {
	if sh.cmd.ProcessState == nil {
		sh.cmd.Process.Kill()
		sh.cmd.Wait()
	}
	sh.master.Close()
}

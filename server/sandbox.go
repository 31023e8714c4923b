package server

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Inside a sandbox, the server's pieces live under sandboxRun: the
// forwarder (this very binary, see sandbox_init.go) and the egress socket.
const (
	sandboxRun       = "/run/lapctl"
	sandboxInitPath  = sandboxRun + "/" + sandboxInitName
	sandboxSockPath  = sandboxRun + "/egress.sock"
	sandboxProxyPort = "3128"
	sandboxPATH      = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
)

// systemTrees are bound read-only into every sandbox: the programs and
// libraries a harness runs with. Everything else is an empty tmpfs.
var systemTrees = []string{"/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}

// sandbox runs session commands under bubblewrap: own mount, pid, ipc,
// uts and network namespaces; the session directory is the only writable
// place; the data dir, the key file, the config and other sessions are
// not there at all.
type sandbox struct {
	disabled bool     // --no-sandbox
	hidden   []string // server paths masked when inside a bound tree
	readOnly []string // the operator's extra read-only trees (Options.SandboxReadOnly)

	once  sync.Once
	bwrap string
	exe   string
	err   error
}

func newSandbox(disabled bool, dataDir string, extraHidden ...string) *sandbox {
	hidden := append([]string{dataDir}, extraHidden...)
	if home, err := os.UserHomeDir(); err == nil {
		hidden = append(hidden, home)
	}
	if cfg, err := os.UserConfigDir(); err == nil {
		hidden = append(hidden, cfg)
	}
	return &sandbox{disabled: disabled, hidden: hidden}
}

// unsandboxedNotice is shown on every session of a --no-sandbox server.
const unsandboxedNotice = "[lapctl] warning: this server runs with --no-sandbox: the session's process runs as the server's user and can read everything that user can"

// ready checks once that bubblewrap works here, by running a probe under
// the same flags every session uses.
func (sb *sandbox) ready() error {
	sb.once.Do(func() { sb.err = sb.probe() })
	return sb.err
}

func (sb *sandbox) probe() error {
	bwrap, err := exec.LookPath("bwrap")
	for _, p := range []string{"/usr/bin/bwrap", "/usr/local/bin/bwrap"} {
		if err == nil {
			break
		}
		if _, statErr := os.Stat(p); statErr == nil {
			bwrap, err = p, nil // the operator's PATH may leave /usr/bin out
		}
	}
	if err != nil {
		return errors.New("bubblewrap (bwrap) is not installed: install it (apt-get install bubblewrap), or start the server with --no-sandbox to run sessions unprotected")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find the lapctl binary for the sandbox's forwarder: %v", err)
	}
	sb.bwrap, sb.exe = bwrap, exe
	dir, err := os.MkdirTemp("", "lapctl-probe-")
	if err != nil {
		return fmt.Errorf("sandbox probe: %v", err)
	}
	defer os.RemoveAll(dir)
	argv := sb.args(dir, dir, "", []string{"/bin/sh", "-c", "exit 0"})
	var stderr bytes.Buffer
	probe := exec.Command(argv[0], argv[1:]...)
	probe.Env, probe.Stderr = []string{"PATH=" + sandboxPATH}, &stderr
	if err := probe.Run(); err != nil {
		return fmt.Errorf("bubblewrap cannot create a sandbox on this host (%s): it needs user or mount namespaces (check kernel.unprivileged_userns_clone, or run the server where namespaces are allowed), or start the server with --no-sandbox", oneLine(stderr.String(), err))
	}
	return nil
}

// args is the bwrap command line that runs argv in a sandbox whose only
// writable directory is sessionDir, starting in workDir. sock, when set,
// is the session's egress socket: the init (sandbox_init.go) then runs
// first and serves the proxy on 127.0.0.1 inside the sandbox's own
// network, and with a nil argv also the command socket.
func (sb *sandbox) args(sessionDir, workDir, sock string, argv []string) []string {
	a := []string{sb.bwrap,
		"--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try",
		// A new session: no TIOCSTI into the server's own terminal.
		"--die-with-parent", "--new-session", "--hostname", "lapctl-session",
	}
	bound := []string{}
	for _, tree := range systemTrees {
		fi, err := os.Lstat(tree)
		switch {
		case err != nil:
		case fi.Mode()&os.ModeSymlink != 0:
			if target, err := os.Readlink(tree); err == nil {
				a = append(a, "--symlink", target, tree)
			}
		case fi.IsDir():
			a = append(a, "--ro-bind", tree, tree)
			bound = append(bound, tree)
		}
	}
	for _, d := range append(sb.pathTrees(), sb.readOnly...) {
		a = append(a, "--ro-bind", d, d)
		bound = append(bound, d)
	}
	// A data dir or home inside a bound tree (/opt/lapctl) is masked.
	for _, p := range sb.hidden {
		if !underAny(p, bound) {
			continue
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			a = append(a, "--ro-bind", "/dev/null", p) // a file: /etc/lapctl/master.key
		} else {
			a = append(a, "--tmpfs", p)
		}
	}
	a = append(a, "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run")
	a = append(a, "--bind", sessionDir, sessionDir, "--chdir", workDir)
	if sock == "" {
		return append(append(a, "--"), argv...)
	}
	a = append(a, "--ro-bind", sb.exe, sandboxInitPath, "--bind", sock, sandboxSockPath)
	init := []string{sandboxInitPath, "127.0.0.1:" + sandboxProxyPort, sandboxSockPath}
	if argv == nil { // an API session's long-lived sandbox: the init serves commands
		a = append(a, "--bind", ctlDir(sock), sandboxCtlDir)
		return append(append(append(a, "--"), init...), "--serve", sandboxCtlDir+"/run.sock")
	}
	return append(append(append(append(a, "--"), init...), "--"), argv...)
}

// ctlDir is the host directory of a session's command socket, next to its
// egress socket.
func ctlDir(egressSock string) string { return strings.TrimSuffix(egressSock, ".sock") + ".ctl" }

// underAny reports whether p is one of roots or inside one.
func underAny(p string, roots []string) bool {
	p = filepath.Clean(p)
	for _, r := range roots {
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return false
}

// wrap returns the command line that runs argv for session ls: in its
// sandbox, or as it is under --no-sandbox. A nil argv is an API session's
// long-lived sandbox, whose init serves commands (sandbox_exec.go).
func (sb *sandbox) wrap(ls *liveSession, argv []string) []string {
	if sb.disabled {
		return argv
	}
	return sb.args(ls.dir, ls.workDir(), ls.egressSock, argv)
}

// ptyAttr is how a session's terminal process starts: a new session that
// owns the terminal, or under the sandbox a new session without it, as the
// sandbox's init takes it (see takeTerminal).
func (sb *sandbox) ptyAttr() *syscall.SysProcAttr {
	if sb.disabled {
		return nil
	}
	return &syscall.SysProcAttr{Setsid: true}
}

// proxyEnv points a sandboxed process's HTTP clients at the forwarder.
func proxyEnv(env *envList) {
	proxy := "http://127.0.0.1:" + sandboxProxyPort
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"} {
		env.set(k, proxy)
	}
	env.set("NO_PROXY", "localhost,127.0.0.1,::1")
	env.set("no_proxy", "localhost,127.0.0.1,::1")
}

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// sshdPath is Debian's OpenSSH server (apt-get install -y openssh-server).
// sshd must be started by its absolute path: it re-executes itself.
const sshdPath = "/usr/sbin/sshd"

// sshEnv is a throwaway OpenSSH server on a loopback port, run as the
// current user with its own config, host key and authorized key, all in
// a temp dir: the same path as lapctl attach (a session PTY → network →
// the operator's PTY), measured by the same Screen.
type sshEnv struct {
	dir, addr, user string
	port            int
	sshd            *exec.Cmd
}

func startSSH(parent string) (*sshEnv, error) {
	if _, err := os.Stat(sshdPath); err != nil {
		return nil, fmt.Errorf("%s not found: install OpenSSH's server (apt-get install -y openssh-server), or pass -ssh=false", sshdPath)
	}
	u, err := user.Current()
	if err != nil {
		return nil, err
	}
	// sshd refuses to start without its privilege separation directory,
	// which Debian's service unit creates at boot; a container has none.
	if _, err := os.Stat("/run/sshd"); os.IsNotExist(err) && os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			return nil, err
		}
	}
	dir := filepath.Join(parent, "ssh")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, key := range []string{"host_key", "client_key"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, key)).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("ssh-keygen: %v: %s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "client_key.pub"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	_, portStr, _ := strings.Cut(addr, ":")
	port, _ := strconv.Atoi(portStr)
	config := strings.Join([]string{
		"ListenAddress 127.0.0.1", "Port " + portStr,
		"HostKey " + filepath.Join(dir, "host_key"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AllowUsers " + u.Username,
		"PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
		"UsePAM no", "StrictModes no", "PrintMotd no", "PrintLastLog no", "AcceptEnv PS1", "LogLevel ERROR",
	}, "\n") + "\n"
	cfg := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		return nil, err
	}
	e := &sshEnv{dir: dir, addr: addr, user: u.Username, port: port}
	e.sshd = exec.Command(sshdPath, "-D", "-e", "-f", cfg)
	logPath := filepath.Join(dir, "sshd.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // sshd has its own copy
	e.sshd.Stderr = logFile
	if err := e.sshd.Start(); err != nil {
		return nil, err
	}
	if err := e.waitListening(10 * time.Second); err != nil {
		e.close()
		log, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("%w; sshd said: %s", err, log)
	}
	return e, nil
}

func (e *sshEnv) waitListening(d time.Duration) error {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		out, err := exec.Command("ssh-keyscan", "-t", "ed25519", "-p", strconv.Itoa(e.port), "127.0.0.1").Output()
		if err == nil && len(out) > 0 {
			return nil
		}
	}
	return errors.New("sshd did not start listening")
}

// shell runs `ssh -tt` to /bin/sh on the server, its client on a pty.
func (e *sshEnv) shell(home string) (*shell, error) {
	cmd := exec.Command("ssh", "-tt", "-F", "/dev/null", "-i", filepath.Join(e.dir, "client_key"),
		"-o", "UserKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "BatchMode=yes",
		"-o", "LogLevel=ERROR", "-o", "SendEnv=PS1", "-p", strconv.Itoa(e.port), e.user+"@127.0.0.1", "exec /bin/sh")
	cmd.Env = shellEnv(home)
	sh, err := startOnPTY("ssh -tt", cmd)
	if err != nil {
		return nil, err
	}
	if err := sh.screen.Sync(20 * time.Second); err != nil {
		sh.close()
		return nil, fmt.Errorf("ssh session: %w", err)
	}
	return sh, nil
}

// serverCPU is the CPU used so far by the sshd processes serving
// connections (the listener's descendants named sshd; not the shell).
func (e *sshEnv) serverCPU() time.Duration {
	var total time.Duration
	for _, pid := range descendants(e.sshd.Process.Pid) {
		if comm(pid) == "sshd" || strings.HasPrefix(comm(pid), "sshd-") {
			total += cpuTime(pid)
		}
	}
	return total
}

func (e *sshEnv) close() {
	if e.sshd != nil && e.sshd.Process != nil {
		e.sshd.Process.Kill()
		e.sshd.Wait()
	}
}

// descendants lists the processes below pid, from /proc.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, ent := range entries {
		p, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 1 {
			ppid, _ := strconv.Atoi(f[1])
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

func comm(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

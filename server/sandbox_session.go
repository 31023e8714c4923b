package server

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"lapctl/secret"
)

// enterSandbox readies session ls's sandbox before anything runs for it:
// a session never starts silently unprotected. Under --no-sandbox it
// records the warning on the session instead.
func (rt *sessionRuntime) enterSandbox(ls *liveSession) error {
	if rt.sandbox.disabled {
		rt.update(ls, func(st *sessionState) { st.Notice = unsandboxedNotice })
		return nil
	}
	if err := rt.sandbox.ready(); err != nil {
		return setupErrorf("the session cannot run in a sandbox: %v", err)
	}
	eg, err := rt.egress.listen(ls.id, ls.plan.egress)
	if err != nil {
		return err
	}
	ls.mu.Lock()
	forgot := ls.forgot
	if !forgot {
		ls.egress, ls.egressSock = eg, eg.path
	}
	ls.mu.Unlock()
	if forgot {
		eg.close()
		return setupErrorf("stopped during start-up")
	}
	return nil
}

// joinNotice puts notices on one line each.
func joinNotice(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\r\n" + b
}

// passedEnv are the server variables a session's process gets: what
// programs need to run (PATH, locale, time zone, who they run as) and the
// model gateway the platform hands every harness. Nothing else of the
// server's environment reaches a session: it may hold the master key or
// other secrets.
var passedEnv = []string{"PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME", "LITELLM_API_BASE", "LITELLM_API_KEY"}

// sessionBaseEnv is the explicit starting environment of a session.
func sessionBaseEnv(sandboxed bool) *envList {
	env := newEnvList(nil)
	for _, k := range passedEnv {
		if v, ok := os.LookupEnv(k); ok {
			env.set(k, v)
		}
	}
	if _, ok := env.vals["PATH"]; !ok {
		env.set("PATH", sandboxPATH)
	}
	if _, ok := env.vals["LANG"]; !ok {
		env.set("LANG", "C.UTF-8")
	}
	if sandboxed {
		proxyEnv(env)
	}
	return env
}

// repoURLForProcess is REPO_URL as a session's process sees it: the
// clone has happened already, so credentials stay out of its environment.
func repoURLForProcess(raw string) string { return secret.StripURLCredentials(raw) }

// pathTrees are the directories of the server's PATH that are not system
// trees, bound read-only so harnesses installed there (~/.local/bin) are
// found; a directory holding the data dir, home or config is skipped.
func (sb *sandbox) pathTrees() []string {
	var out []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		d = filepath.Clean(d)
		if !filepath.IsAbs(d) || d == "/" || underAny(d, systemTrees) {
			continue
		}
		exposes := false
		for _, h := range sb.hidden {
			if underAny(h, []string{d}) {
				exposes = true
			}
		}
		if fi, err := os.Stat(d); exposes || err != nil || !fi.IsDir() || strings.Contains(d, ":") {
			continue
		}
		out = append(out, d)
	}
	return out
}

// startHolder starts an API session's long-lived sandbox and waits until
// its command socket is up. Its messages then run inside it.
func (rt *sessionRuntime) startHolder(ls *liveSession) error {
	if rt.sandbox.disabled {
		return nil
	}
	dir := ctlDir(ls.egressSock)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return setupErrorf("cannot create the session's command socket directory: %v", err)
	}
	argv := rt.sandbox.wrap(ls, nil)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = ls.plan.env, ls.workDir()
	var stderr tailBuffer
	stderr.max = stderrTailBytes
	cmd.Stderr = &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return setupErrorf("cannot start the session's sandbox: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	sock := filepath.Join(dir, "run.sock")
	deadline := time.After(10 * time.Second)
	for {
		// Connected, not merely present: the socket file exists from bind,
		// a moment before it listens.
		if probe, err := net.Dial("unix", sock); err == nil {
			probe.Close()
			break
		}
		select {
		case <-exited:
			return setupErrorf("the session's sandbox ended at start: %s", oneLine(stderr.String(), errors.New("no output")))
		case <-deadline:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			return setupErrorf("the session's sandbox did not come up within 10s")
		case <-ls.ctx.Done():
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			return ls.ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	ls.mu.Lock()
	forgot := ls.forgot
	if !forgot {
		ls.holder, ls.ctlSock = cmd, sock
	}
	ls.mu.Unlock()
	if forgot {
		endHolder(cmd)
		return setupErrorf("stopped during start-up")
	}
	return nil
}

// endHolder kills an API session's sandbox (its commands die with it)
// and waits for it.
func endHolder(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	for range 500 { // the Wait goroutine reaps it; bounded in case it is stuck
		if errors.Is(syscall.Kill(cmd.Process.Pid, 0), syscall.ESRCH) {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"lapctl/spec"
)

// setupError is a start-up failure already phrased for the user: what
// went wrong and how to fix it. It becomes the session's failure_reason.
type setupError struct{ msg string }

func (e *setupError) Error() string { return e.msg }

func setupErrorf(format string, args ...any) error {
	return &setupError{msg: fmt.Sprintf(format, args...)}
}

const (
	cloneTimeout   = 10 * time.Minute
	installTimeout = 15 * time.Minute
)

// makeSessionDirs creates <session>/home; work/ is made after cloning,
// because git clones only into an empty or missing directory.
func makeSessionDirs(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "home"), 0o700); err != nil {
		return setupErrorf("cannot create the session directory %s: %v (check the data dir's permissions and free space)", dir, err)
	}
	return nil
}

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return setupErrorf("cannot create %s: %v (check the data dir's permissions and free space)", dir, err)
	}
	return nil
}

// sandboxTarget maps a sandbox_path into the session directory, which
// plays the sandbox's filesystem root:
//
//	~/p   → <session>/home/p   (HOME of the session's process)
//	/p    → <session>/p        (so /work/p lands in the process's cwd)
//
// The path is cleaned lexically and must stay inside the session
// directory: "~/../../etc/x" is refused, not silently re-rooted. ~user
// forms are refused too. Symlinks are checked when writing (os.Root).
func sandboxTarget(sandboxPath string) (string, error) {
	var rel string
	switch {
	case sandboxPath == "~" || strings.HasPrefix(sandboxPath, "~/"):
		rel = "home/" + strings.TrimPrefix(sandboxPath, "~")
	case strings.HasPrefix(sandboxPath, "~"):
		return "", fmt.Errorf("only ~/ (the session's home) is supported, not another user's home")
	case strings.HasPrefix(sandboxPath, "/"):
		rel = sandboxPath
	default:
		return "", fmt.Errorf("it must start with / or ~/")
	}
	rel = path.Clean(strings.TrimLeft(rel, "/"))
	if rel == "." || rel == "home" {
		return "", fmt.Errorf("it names a directory, not a file")
	}
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("it leads outside the session directory (..)")
	}
	return rel, nil
}

// writeSandboxFiles writes each file into the session directory through
// an os.Root, which refuses any symlink that would lead outside it.
func writeSandboxFiles(sessionDir string, files []spec.SandboxFile) error {
	root, err := os.OpenRoot(sessionDir)
	if err != nil {
		return setupErrorf("cannot open the session directory: %v", err)
	}
	defer root.Close()
	for _, f := range files {
		rel, err := sandboxTarget(f.SandboxPath)
		if err != nil {
			return setupErrorf("sandbox file %q cannot be written to %s: %v; fix its sandbox_path (e.g. ~/%s)",
				f.Name, f.SandboxPath, err, path.Base(f.SandboxPath))
		}
		data, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(f.Content))
		if err != nil {
			return setupErrorf("sandbox file %q has invalid base64 content: %v; re-upload it", f.Name, err)
		}
		if dir := path.Dir(rel); dir != "." {
			if err := root.MkdirAll(dir, 0o700); err != nil {
				return setupErrorf("sandbox file %q cannot be written to %s: %v; it must stay inside the session directory", f.Name, f.SandboxPath, err)
			}
		}
		mode := os.FileMode(0o600)
		if bytes.HasPrefix(data, []byte("#!")) {
			mode = 0o700 // a script the agent is meant to run
		}
		if err := root.WriteFile(rel, data, mode); err != nil {
			return setupErrorf("sandbox file %q cannot be written to %s: %v; it must stay inside the session directory", f.Name, f.SandboxPath, err)
		}
	}
	return nil
}

// cloneRepo clones branch of url into dest, shallowly when the server
// supports it (dumb HTTP servers cannot serve shallow clones, so those get
// a full clone).
func cloneRepo(ctx context.Context, url, branch, dest string, env []string) error {
	git, err := exec.LookPath("git")
	if err != nil {
		return setupErrorf("git is not installed on the server host: install git or remove repo_url")
	}
	ctx, cancel := context.WithTimeout(ctx, cloneTimeout)
	defer cancel()
	env = withEnv(env, "GIT_TERMINAL_PROMPT", "0") // never wait for a password nobody can type
	cloneURL, creds := gitCredentials(url)
	for k, v := range creds {
		env = withEnv(env, k, v)
	}
	clone := func(extra ...string) (string, error) {
		args := append([]string{"clone", "--quiet", "--single-branch", "--branch", branch}, extra...)
		res, err := runCommand(ctx, commandSpec{dir: filepath.Dir(dest), env: env, name: git,
			args: append(args, "--", cloneURL, dest)})
		return res.stderrTail, err
	}
	stderr, err := clone("--depth", "1")
	if err != nil && ctx.Err() == nil && strings.Contains(stderr, "shallow") {
		_ = os.RemoveAll(dest)
		stderr, err = clone()
	}
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ctx.Err()
		}
		return setupErrorf("git clone of %s (branch %s) failed: %s — check repo_url and branch, and that this host can reach the repository",
			maskedRepoURL(url), branch, oneLine(maskedRepoURL(stderr), err))
	}
	return nil
}

// installRequirements pip-installs the agent's requirements into the
// session's home (--user with HOME and PYTHONUSERBASE there), so sessions
// never change the host's Python.
func installRequirements(ctx context.Context, sessionDir, requirements string, env []string) error {
	python, err := exec.LookPath("python3")
	if err != nil {
		return setupErrorf("python3 is not installed on the server host: install Python 3 with pip, or start the server without installing requirements")
	}
	reqFile := filepath.Join(sessionDir, "requirements.txt")
	if err := os.WriteFile(reqFile, []byte(requirements), 0o600); err != nil {
		return setupErrorf("cannot write requirements.txt: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, installTimeout)
	defer cancel()
	res, err := runCommand(ctx, commandSpec{dir: sessionDir, env: env, name: python,
		args: []string{"-m", "pip", "install", "--user", "--no-input", "--disable-pip-version-check", "-r", reqFile}})
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ctx.Err()
		}
		return setupErrorf("pip install of the agent's requirements failed: %s — fix the requirements, or start the server without installing them",
			oneLine(res.stderrTail, err))
	}
	return nil
}

// oneLine squeezes a command's stderr (or its error) into one line for a
// failure_reason.
func oneLine(stderr string, err error) string {
	s := strings.Join(strings.Fields(stderr), " ")
	if s == "" {
		s = err.Error()
	}
	const max = 400
	if len(s) > max {
		s = "…" + s[len(s)-max:]
	}
	return s
}

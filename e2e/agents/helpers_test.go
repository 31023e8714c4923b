package agents

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"lapctl/client"
	"lapctl/internal/apitest"
	"lapctl/internal/tmuxtest"
	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// offlineEnv keeps the agents off the network: every HTTP(S) connection
// goes to a proxy on a closed loopback port and is refused at once.
const offlineEnv = "HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 NO_PROXY= no_proxy= DISABLE_AUTOUPDATER=1"

// agentsDir is where .ci/run installs the npm packages.
func agentsDir() string {
	if d := os.Getenv("LAPCTL_AGENTS_DIR"); d != "" {
		return d
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "lapctl-agents")
}

// agentBin is the installed program name, or a skip naming the install.
func agentBin(t *testing.T, name string) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: these tests attach from a tmux pane (.ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("-short: skipping the real agent programs")
	}
	bin := filepath.Join(agentsDir(), "node_modules", ".bin", name)
	if _, err := os.Stat(bin); err != nil {
		pins, _ := os.ReadFile("npm-agents.txt")
		t.Skipf("%s is not installed at %s: install the pinned agents with\n  npm install --prefix %q --no-save %s\n(.ci/run does this)",
			name, bin, agentsDir(), strings.Join(strings.Fields(string(pins)), " "))
	}
	return bin
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// lapctlBin builds lapctl once for the package's tests.
func lapctlBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lapctl-e2e-agents-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "lapctl")
		buildOut, buildErr = exec.Command("go", "build", "-o", builtBin, "lapctl/cmd/lapctl").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("building lapctl: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// platform is the embedded server with one harness mapped to a real agent
// program, and a resumed agent on it.
type platform struct {
	inst   *servertest.Instance
	client *client.Client
	agent  *spec.Agent
	home   string // the agent's $HOME, and lapctl's
}

// startPlatform maps harness to "VAR=… exec <bin> args"; extraEnv adds
// variables for the agent's home (the shell expands the "$HOME" it gets).
func startPlatform(t *testing.T, harness, bin string, extraEnv func(home string) string, args ...string) *platform {
	t.Helper()
	home := t.TempDir()
	// The agent runs in the session's sandbox, whose $HOME is the session
	// directory; the install dir (under the hidden home) is bound read-only.
	cmd := offlineEnv + " " + extraEnv("$HOME") + " exec '" + bin + "' " + strings.Join(args, " ")
	inst := servertest.Start(t, servertest.WithHarnessCmd(harness, cmd),
		servertest.WithOptions(func(o *server.Options) { o.SandboxReadOnly = append(o.SandboxReadOnly, agentsDir()) }))
	c := apitest.NewClient(t, inst.URL, inst.Key)
	ctx := context.Background()
	a, err := c.CreateAgent(ctx, &spec.AgentSpec{Name: "real-" + harness, OwnerID: "e2e", Harness: harness})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ResumeAgent(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	return &platform{inst: inst, client: c, agent: a, home: home}
}

// attachPane runs `lapctl attach args…` in a fresh tmux pane (120×40);
// the pane shows "STATUS=N" when it exits.
func (p *platform) attachPane(t *testing.T, args ...string) *tmuxtest.Session {
	t.Helper()
	env := []string{
		"LITELLM_API_BASE=" + p.inst.URL, "LITELLM_MASTER_KEY=" + p.inst.Key,
		"LAPCTL_CONFIG=" + filepath.Join(p.home, "lapctl.yaml"), "HOME=" + p.home, "XDG_CONFIG_HOME=" + p.home,
		"TERM=xterm-256color",
	}
	// A shell reports lapctl's exit status: tmux is at times slow to reap
	// a pane's process and say it is dead.
	argv := append([]string{"sh", "-c", `"$0" attach "$@"; echo "STATUS=$?"`, lapctlBin(t)}, args...)
	return tmuxtest.Start(t, p.home, env, argv...)
}

// line returns the screen's line holding text, or "".
func line(screen, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

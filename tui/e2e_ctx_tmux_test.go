package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"lapctl/config"
	"lapctl/internal/tmuxtest"
)

// TestEndToEndContextsTmux runs the real `lapctl local` in tmux with a
// config that also saves a context "lab" (a `lapctl serve`): the header
// names the local context and ages its "refreshed" mark without a
// refresh; `:ctx lab` (Tab-completed) switches to the other server and
// `:ctx local` back; quitting puts the config's current context back.
func TestEndToEndContextsTmux(t *testing.T) {
	lab := tmuxtest.NewLab(t)
	seedAgents(t, lab.Client)
	cfgPath := filepath.Join(lab.Dir, "config.yaml")
	cfgText := fmt.Sprintf("current_context: lab\ncontexts:\n  lab:\n    base_url: %s\n    master_key: %s\n", lab.URL, tmuxtest.Key)
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`%s local --listen 127.0.0.1:0 --data-dir %s; echo EXIT=$?; sleep 60`,
		lab.Bin, filepath.Join(lab.Dir, "local-data"))
	// No LITELLM_MASTER_KEY: a context's own key is what :ctx uses.
	env := append(lab.Env("USER=e2e"), "LITELLM_MASTER_KEY=")
	tm := tmuxtest.Start(t, lab.Dir, env, "sh", "-c", script)

	tm.Wait("ctx local │ http://127.0.0.1:", "● ok", "refreshed just now", "No agents yet")
	aged := regexp.MustCompile(`refreshed \d+s ago`)
	tm.WaitUntil("the refreshed mark ageing", func(s string) bool { return aged.MatchString(s) })

	tm.Type(":")
	tm.Type("ctx")
	tm.Keys("Enter")
	tm.Wait("contexts: lab, local (in use); switch with :ctx NAME")
	tm.Type(":")
	tm.Type("ctx l")
	tm.Wait("lab local")
	tm.Type("a")
	tm.Keys("Tab")
	tm.Wait(":ctx lab")
	tm.Keys("Enter")
	tm.Wait("ctx lab │ "+lab.URL, "using context lab", "alpha", "gamma", "refreshed just now")

	tm.Type(":")
	tm.Type("ctx nope")
	tm.Keys("Enter")
	tm.Wait(`no context named "nope" (contexts: lab, local)`, "ctx lab")

	tm.Type(":")
	tm.Type("ctx local")
	tm.Keys("Enter")
	tm.Wait("ctx local │ http://127.0.0.1:", "using context local", "No agents yet")

	tm.Keys("q")
	tm.Wait("EXIT=0")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CurrentContext != "lab" || cfg.Context("local") != nil {
		t.Errorf("after quitting: current %q, contexts %v; want lab and no local", cfg.CurrentContext, cfg.ContextNames())
	}
}

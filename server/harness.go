package server

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"lapctl/spec"
)

// DefaultHarness is the harness of an agent created without one: the
// platform's first API harness.
const DefaultHarness = "opencode"

// tuiBinaries are the real programs of the TUI harnesses, run when found
// on PATH and no command is mapped.
var tuiBinaries = map[string]string{"claude-code": "claude", "codex": "codex"}

// harnessRegistry knows the built-in harnesses, the aliases registered by
// --harness-cmd, and which command runs each.
type harnessRegistry struct {
	cmds    map[string]string
	aliases []string // sorted; every HarnessCmds key that is not a built-in id
}

func newHarnessRegistry(cmds map[string]string) *harnessRegistry {
	h := &harnessRegistry{cmds: make(map[string]string, len(cmds))}
	for k, v := range cmds {
		h.cmds[k] = v
		if _, builtin := spec.BuiltinHarness(k); !builtin {
			h.aliases = append(h.aliases, k)
		}
	}
	slices.Sort(h.aliases)
	return h
}

// known reports whether id is a built-in harness or a registered alias.
func (h *harnessRegistry) known(id string) bool {
	_, builtin := spec.BuiltinHarness(id)
	return builtin || slices.Contains(h.aliases, id)
}

// validIDs lists what the harness field accepts, built-ins first.
func (h *harnessRegistry) validIDs() []string {
	var ids []string
	for _, b := range spec.BuiltinHarnesses() {
		ids = append(ids, b.ID)
	}
	return append(ids, h.aliases...)
}

// checkHarness validates an agent's harness field.
func (h *harnessRegistry) checkHarness(id string) error {
	if h.known(id) {
		return nil
	}
	return badRequest("harness", "harness %q is not known: use one of %s (lapctl harnesses lists them)", id, strings.Join(h.validIDs(), ", "))
}

// command is the shell command mapped to a harness, if any.
func (h *harnessRegistry) command(id string) (string, bool) {
	c, ok := h.cmds[id]
	return c, ok && strings.TrimSpace(c) != ""
}

// builtins returns the built-in harnesses with their availability here.
// An API harness is available when a command is mapped (the server runs
// nothing else for it). A TUI harness is always available: without a
// mapped command or its binary on PATH, sessions run the operator's shell,
// which the description then says.
func (h *harnessRegistry) builtins() []spec.Harness {
	out := spec.BuiltinHarnesses()
	for i := range out {
		_, mapped := h.command(out[i].ID)
		if out[i].IsTUI() {
			out[i].Available = true
			if bin := tuiBinaries[out[i].ID]; !mapped && !onPath(bin) {
				out[i].Description += fmt.Sprintf(" (%s is not on PATH here: sessions run %s instead)", bin, operatorShell())
			}
			continue
		}
		out[i].Available = mapped
	}
	return out
}

// runtimeHarnesses lists the registered aliases, all API-type.
func (h *harnessRegistry) runtimeHarnesses() []spec.RuntimeHarness {
	out := make([]spec.RuntimeHarness, 0, len(h.aliases))
	for _, a := range h.aliases {
		out = append(out, spec.RuntimeHarness{Alias: a, DisplayName: a, APISpec: "opencode", Connected: true})
	}
	return out
}

// tuiCommand decides what a TUI session runs: the mapped command, else the
// harness's binary on PATH, else the operator's shell, with a notice that
// says so plainly.
func (h *harnessRegistry) tuiCommand(id string) (argv []string, notice string) {
	if c, ok := h.command(id); ok {
		return []string{"/bin/sh", "-c", c}, ""
	}
	bin := tuiBinaries[id]
	if bin == "" {
		bin = id
	}
	if path, err := exec.LookPath(bin); err == nil {
		return []string{path}, ""
	}
	shell := operatorShell()
	return []string{shell}, fmt.Sprintf("lapctl: %s not found on PATH; running %s instead — map one with --harness-cmd %s='…'", bin, shell, id)
}

func onPath(bin string) bool {
	_, err := exec.LookPath(bin)
	return err == nil
}

// operatorShell is $SHELL of the server's operator, else /bin/sh.
func operatorShell() string {
	if sh := os.Getenv("SHELL"); sh != "" {
		if _, err := exec.LookPath(sh); err == nil {
			return sh
		}
	}
	return "/bin/sh"
}

package server

import (
	"path/filepath"
	"strings"

	"lapctl/spec"
)

// plan gathers a session's start-up inputs: what to lay out on disk and
// the environment its commands run with.
func (rt *sessionRuntime) plan(ls *liveSession, agent *agentRecord, body *spec.SessionSpec, skills map[string]string) startPlan {
	p := startPlan{
		files: agent.SandboxFiles, repoURL: agent.RepoURL, branch: agent.Branch,
		requirements: agent.Requirements, model: agent.Model,
		egress: egressPolicy{allow: agent.AllowOut, deny: agent.DenyOut},
	}
	if ls.kind == spec.KindAPI {
		p.firstMessage = body.Prompt
	}
	if e := body.Environment; e != nil {
		if e.Repository != "" {
			p.repoURL, p.branch = e.Repository, ""
		}
		if e.Ref != "" {
			p.branch = e.Ref
		}
		if e.Model != "" {
			p.model = e.Model
		}
	}
	if p.repoURL != "" && p.branch == "" {
		p.branch = spec.DefaultBranch
	}

	// An explicit environment, never the server's: that may hold the
	// master key, and the process may run code nobody reviewed.
	env := sessionBaseEnv(!rt.sandbox.disabled)
	for _, vars := range []map[string]string{agent.EnvVars, body.EnvVars} { // session wins
		for k, v := range vars {
			env.set(k, v)
		}
	}
	if p.model != "" {
		env.set("LITELLM_DEFAULT_MODEL", p.model)
	}
	env.set("AGENT_PROMPT", effectivePrompt(&agent.AgentSpec, skills))
	env.set("HOME", ls.homeDir())
	env.set("PWD", ls.workDir())
	env.set("TERM", "xterm-256color")
	env.set("LAPCTL_SESSION_ID", ls.id)
	if p.repoURL != "" {
		env.set("REPO_URL", repoURLForProcess(p.repoURL))
		env.set("BRANCH", p.branch)
	}
	if p.requirements != "" {
		env.set("AGENT_REQUIREMENTS", p.requirements)
		if rt.installReqs {
			// pip --user installs here, and Python finds the packages here.
			env.set("PYTHONUSERBASE", filepath.Join(ls.homeDir(), ".local"))
		}
	}
	p.env = env.list()
	return p
}

// effectivePrompt is the prompt a session's harness gets: the system
// prompt (or prompt, when system is empty), then each skill once, in the
// agent's order, as a marked block.
func effectivePrompt(a *spec.AgentSpec, skills map[string]string) string {
	var b strings.Builder
	if a.System != "" {
		b.WriteString(a.System)
	} else {
		b.WriteString(a.Prompt)
	}
	seen := map[string]bool{}
	for _, id := range a.SkillIDs {
		content, ok := skills[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		b.WriteString("\n\n<!-- skill:" + id + " -->\n" + content)
	}
	return b.String()
}

// envList is an ordered environment where setting a key replaces it.
type envList struct {
	keys []string
	vals map[string]string
}

func newEnvList(environ []string) *envList {
	e := &envList{vals: map[string]string{}}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			e.set(k, v)
		}
	}
	return e
}

func (e *envList) set(k, v string) {
	if _, ok := e.vals[k]; !ok {
		e.keys = append(e.keys, k)
	}
	e.vals[k] = v
}

func (e *envList) list() []string {
	out := make([]string, 0, len(e.keys))
	for _, k := range e.keys {
		out = append(out, k+"="+e.vals[k])
	}
	return out
}

// withEnv returns env with k set to v (replacing any k already there).
func withEnv(env []string, k, v string) []string {
	l := newEnvList(env)
	l.set(k, v)
	return l.list()
}

package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"lapctl/spec"
)

// startPlan is everything a session's start-up needs, gathered up front
// so the background runner never reads the agent again (it may be edited
// or deleted meanwhile).
type startPlan struct {
	files        []spec.SandboxFile // with content
	repoURL      string
	branch       string
	requirements string
	model        string // LITELLM_DEFAULT_MODEL
	env          []string
	egress       egressPolicy // allow_out / deny_out
	firstMessage string       // an API session's prompt, sent once ready
}

// start registers a session of agent, records it as starting and runs
// its start-up in the background. The returned record is what POST
// /session answers at once.
func (rt *sessionRuntime) start(ctx context.Context, agent *agentRecord, body *spec.SessionSpec) (*sessionRecord, error) {
	skills, err := rt.store.skillContents(ctx, agent.SkillIDs)
	if err != nil {
		return nil, err
	}
	kind := spec.HarnessKind(agent.Harness)
	now := nowMs()
	rec := &sessionRecord{Session: spec.Session{
		ID: newID(prefixSession), Title: body.Title, Agent: agent.ID, AgentID: agent.ID,
		Harness: agent.Harness, Status: spec.SessionStarting, Environment: environmentAtRest(body.Environment),
		Time: spec.SessionTime{Created: now, Updated: now}, Kind: kind,
	}}
	if agent.ID == "" { // a harness run without an agent, as the gateway names it
		rec.Agent = agent.Harness
	}
	if rec.Title == "" {
		rec.Title = agent.Name
	}
	if rec.Title == "" {
		rec.Title = unboundSessionTitle
	}
	if kind == spec.KindTUI {
		rec.TTYURL, rec.TTYToken = ttyPath(rec.ID), newToken()
	}
	sctx, cancel := context.WithCancel(context.Background())
	ls := &liveSession{
		id: rec.ID, agentID: agent.ID, harness: agent.Harness, kind: kind, token: rec.TTYToken,
		dir: filepath.Join(rt.dataDir, "sessions", rec.ID), ctx: sctx, cancel: cancel,
		exited: make(chan struct{}), ready: make(chan struct{}), finished: make(chan struct{}),
	}
	if kind == spec.KindTUI {
		ls.hub = newTTYHub()
	}
	ls.plan = rt.plan(ls, agent, body, skills)
	rec.Phase = ls.plan.firstPhase(rt.installReqs)
	ls.state = sessionState{Status: rec.Status, Phase: rec.Phase}

	// Registered before the record is written, so an agent delete racing
	// this start either finds the session to stop or makes the insert fail.
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		cancel()
		return nil, conflict("the server is shutting down: no new sessions")
	}
	rt.sessions[rec.ID] = ls
	rt.work.Add(1)
	rt.mu.Unlock()

	if err := rt.store.insertSession(ctx, rec); err != nil {
		rt.forget(ls)
		rt.work.Done()
		cancel()
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return nil, notFound("agent_id", "agent %s not found: it was deleted", agent.ID)
		}
		return nil, err
	}
	rt.log.Info("session starting", "session", rec.ID, "agent", agent.ID, "harness", agent.Harness, "kind", kind)
	go rt.run(ls)
	return rec, nil
}

// unboundSessionTitle is the title of a session without an agent and
// without a title of its own (the gateway's default).
const unboundSessionTitle = "New session"

// firstPhase is the phase a new session reports before its runner starts.
func (p *startPlan) firstPhase(installReqs bool) string {
	switch {
	case p.repoURL != "":
		return spec.PhaseCloningRepo
	case len(p.files) > 0:
		return spec.PhaseWritingFiles
	case p.requirements != "" && installReqs:
		return spec.PhaseInstallingDeps
	}
	return spec.PhaseStartingProcess
}

// run is a session's background life: start-up, then (TUI) the process
// until it exits, or (API) the optional first message.
func (rt *sessionRuntime) run(ls *liveSession) {
	defer rt.work.Done()
	defer close(ls.finished)
	if err := rt.prepare(ls); err != nil {
		close(ls.ready)
		rt.fail(ls, failureReason(ls, err))
		rt.forget(ls)
		return
	}
	if ls.kind == spec.KindTUI {
		rt.runPTY(ls)
		return
	}
	rt.update(ls, func(st *sessionState) { st.Status, st.Phase = spec.SessionIdle, spec.PhaseReady })
	close(ls.ready)
	rt.log.Info("session ready", "session", ls.id)
	if ls.plan.firstMessage != "" {
		if _, err := rt.sendMessage(ls.ctx, ls, ls.plan.firstMessage, ""); err != nil && ls.ctx.Err() == nil {
			rt.log.Warn("first message failed", "session", ls.id, "err", err)
			rt.update(ls, func(st *sessionState) { st.Notice = "the session's first prompt failed: " + err.Error() })
		}
	}
}

// prepare lays out the session directory: clone the repo into work/ (git
// needs an empty target), write the sandbox files over it, install
// requirements.
func (rt *sessionRuntime) prepare(ls *liveSession) error {
	p := &ls.plan
	if err := rt.enterSandbox(ls); err != nil {
		return err
	}
	if err := makeSessionDirs(ls.dir); err != nil {
		return err
	}
	if p.repoURL != "" {
		rt.setPhase(ls, spec.PhaseCloningRepo)
		if err := cloneRepo(ls.ctx, p.repoURL, p.branch, ls.workDir(), p.env); err != nil {
			return err
		}
	}
	if err := ensureDir(ls.workDir()); err != nil {
		return err
	}
	if len(p.files) > 0 {
		rt.setPhase(ls, spec.PhaseWritingFiles)
		if err := writeSandboxFiles(ls.dir, p.files); err != nil {
			return err
		}
	}
	if p.requirements != "" && rt.installReqs {
		rt.setPhase(ls, spec.PhaseInstallingDeps)
		if err := installRequirements(ls.ctx, ls.dir, p.requirements, p.env); err != nil {
			return err
		}
	}
	if ls.kind == spec.KindAPI {
		if err := rt.startHolder(ls); err != nil {
			return err
		}
	}
	return ls.ctx.Err()
}

// failureReason is what a failed start-up tells the user: the step's own
// explanation, or that the session was stopped meanwhile.
func failureReason(ls *liveSession, err error) string {
	if ls.ctx.Err() != nil {
		return "stopped during start-up"
	}
	var se *setupError
	if errors.As(err, &se) {
		return se.Error()
	}
	return fmt.Sprintf("session start-up failed: %v", err)
}

// ttyPath is a TUI session's tty_url, relative to the base URL.
func ttyPath(id string) string { return "/session/" + id + "/tty" }

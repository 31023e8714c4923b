package server

import (
	"context"
	"fmt"
	"strings"

	"lapctl/spec"
)

// sendMessage runs an API session's harness command once with text on
// stdin, in the session's work dir and environment, and returns its stdout
// as the assistant's reply. The exchange is stored in the history.
func (rt *sessionRuntime) sendMessage(ctx context.Context, ls *liveSession, text, modelID string) (spec.Message, error) {
	cmdline, ok := rt.harnesses.command(ls.harness)
	if !ok {
		return spec.Message{}, runtimeError("no command mapped for harness %s: start the server with --harness-cmd %s='your-command' (it gets the message on stdin)",
			ls.harness, ls.harness)
	}
	select {
	case <-ls.ready:
	case <-ctx.Done():
		return spec.Message{}, ctx.Err()
	}
	ls.msgMu.Lock()
	defer ls.msgMu.Unlock()
	if st := ls.currentState(); !isLiveStatus(st.Status) || ls.ctx.Err() != nil {
		reason := st.FailureReason
		if reason == "" {
			reason = "it has ended"
		}
		return spec.Message{}, conflict("session %s is not running (status %s: %s): start a new session", ls.id, st.Status, reason)
	}
	rt.update(ls, func(st *sessionState) { st.Status = spec.SessionRunning })
	defer rt.update(ls, func(st *sessionState) {
		if st.Status == spec.SessionRunning {
			st.Status = spec.SessionIdle
		}
	})

	model := modelID
	if model == "" {
		model = ls.plan.model
	}
	env := ls.plan.env
	if model != "" {
		env = withEnv(env, "LITELLM_DEFAULT_MODEL", model)
	}
	// The command ends when either the caller goes away or the session
	// is stopped.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopWatch := context.AfterFunc(ls.ctx, cancel)
	defer stopWatch()

	userAt := nowMs()
	c := commandSpec{dir: ls.workDir(), env: env, stdin: strings.NewReader(text), name: "/bin/sh", args: []string{"-c", cmdline}}
	var res commandResult
	var err error
	if ls.ctlSock != "" {
		res, err = execInSandbox(runCtx.Done(), ls.ctlSock, c)
	} else {
		res, err = runCommand(runCtx, c)
	}
	switch {
	case ls.ctx.Err() != nil:
		return spec.Message{}, conflict("session %s was stopped while the message ran", ls.id)
	case ctx.Err() != nil:
		return spec.Message{}, ctx.Err()
	case err != nil && res.exitCode >= 0:
		return spec.Message{}, runtimeError("harness command for %s exited with code %d: %s", ls.harness, res.exitCode, stderrSummary(res.stderrTail))
	case err != nil:
		return spec.Message{}, runtimeError("harness command for %s could not run: %v (check --harness-cmd %s)", ls.harness, err, ls.harness)
	}
	reply := string(res.stdout)
	if res.truncated {
		reply += fmt.Sprintf("\n[lapctl: output cut at %d bytes]", maxStdout)
	}
	user := spec.Message{Info: spec.MessageInfo{ID: newID(prefixMessage), SessionID: ls.id, Role: "user", ModelID: model, Created: userAt},
		Parts: []spec.Part{{Type: "text", Text: text}}}
	answer := spec.Message{Info: spec.MessageInfo{ID: newID(prefixMessage), SessionID: ls.id, Role: "assistant", ModelID: model, Created: nowMs()},
		Parts: []spec.Part{{Type: "text", Text: reply}}}
	if err := rt.store.addMessages(context.Background(), ls.id, user, answer); err != nil {
		return spec.Message{}, err
	}
	return answer, nil
}

// stderrSummary is the end of a failing command's stderr, or a note that
// it printed nothing.
func stderrSummary(tail string) string {
	tail = strings.TrimSpace(tail)
	if tail == "" {
		return "(no stderr output)"
	}
	const max = 1000
	if len(tail) > max {
		tail = "…" + tail[len(tail)-max:]
	}
	return tail
}

func isLiveStatus(status string) bool {
	return (&spec.Session{Status: status}).Live()
}

package server

import (
	"net/http"
	"testing"

	"lapctl/spec"
)

// BenchmarkMessageSandbox times one API message (a harness run per
// message), sandboxed and not, in the same run: the sandbox's cost is the
// ratio of the two.
func BenchmarkMessageSandbox(b *testing.B) {
	for _, mode := range []struct {
		name      string
		noSandbox bool
	}{{"bwrap", false}, {"none", true}} {
		b.Run(mode.name, func(b *testing.B) {
			s := startBenchServer(b, Options{NoSandbox: mode.noSandbox, HarnessCmds: map[string]string{"opencode": "cat"}})
			var a spec.Agent
			s.do(b, "POST", "/api/agents", spec.AgentSpec{Name: "bench", OwnerID: "o", Harness: "opencode"}, http.StatusCreated, &a)
			s.do(b, "POST", "/api/agents/"+a.ID+"/resume", nil, http.StatusOK, nil)
			var sess spec.Session
			s.do(b, "POST", "/session", spec.SessionSpec{AgentID: a.ID}, http.StatusOK, &sess)
			msg := spec.MessageRequest{Parts: []spec.Part{{Type: "text", Text: "hi"}}}
			s.do(b, "POST", "/session/"+sess.ID+"/message", msg, http.StatusOK, nil) // waits for ready
			b.ResetTimer()
			for b.Loop() {
				s.do(b, "POST", "/session/"+sess.ID+"/message", msg, http.StatusOK, nil)
			}
		})
	}
}

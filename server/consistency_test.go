package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"lapctl/server/servertest"
	"lapctl/spec"
)

// GET /api/agents/{id} reads one snapshot: under concurrent PATCHes that
// change the name, an env var and a file together, every read sees the
// three from the same version.
func TestGetAgentReadsOneVersion(t *testing.T) {
	t.Parallel()
	inst := servertest.Start(t)
	c := newClient(t, inst)
	version := func(n int) spec.AgentPatch {
		v := fmt.Sprint(n)
		return spec.AgentPatch{Name: ptr("v" + v), EnvVars: &map[string]string{"V": v},
			SandboxFiles: &[]spec.SandboxFile{file("f"+v, "~/f"+v, v)}}
	}
	a := c.createAgent(spec.AgentSpec{Name: "v0", EnvVars: map[string]string{"V": "0"}, SandboxFiles: []spec.SandboxFile{file("f0", "~/f0", "0")}})
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for n := 1; n <= 150; n++ {
			c.call("PATCH", "/api/agents/"+a.ID, version(n), http.StatusOK, nil)
		}
	})
	var mu sync.Mutex
	reads, mixed := 0, 0
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				var got spec.Agent
				c.call("GET", "/api/agents/"+a.ID, nil, http.StatusOK, &got)
				v := strings.TrimPrefix(got.Name, "v")
				ok := got.EnvVars["V"] == v && len(got.SandboxFiles) == 1 && got.SandboxFiles[0].Name == "f"+v
				mu.Lock()
				reads++
				if !ok {
					mixed++
					if mixed <= 3 {
						t.Errorf("mixed versions: name %s, V=%s, files %+v", got.Name, got.EnvVars["V"], got.SandboxFiles)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if mixed > 0 {
		t.Errorf("%d of %d reads mixed two versions", mixed, reads)
	}
	t.Logf("%d reads, all of one version", reads)
}

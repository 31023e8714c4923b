package server

import (
	"net/http"
	"strings"

	"lapctl/spec"
)

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// handleModels lists Options.Models; owned_by is the provider prefix of a
// LiteLLM model string (anthropic/claude-…).
func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) error {
	models := s.opts.Models
	if models == nil {
		models = DefaultModels
	}
	list := spec.ModelList{Object: "list", Data: make([]spec.Model, 0, len(models))}
	for _, id := range models {
		owner := "litellm"
		if p, _, ok := strings.Cut(id, "/"); ok && p != "" {
			owner = p
		}
		list.Data = append(list.Data, spec.Model{ID: id, Object: "model", OwnedBy: owner})
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// localRuntime is the one runtime this server has: processes on its host.
var localRuntime = spec.Runtime{ID: "local", Name: "Local PTY runtime", Connected: true}

func (s *Server) handleRuntimes(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string][]spec.Runtime{"runtimes": {localRuntime}})
	return nil
}

func (s *Server) handleRuntimeHarnesses(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string][]spec.RuntimeHarness{"harnesses": s.harnesses.runtimeHarnesses()})
	return nil
}

func (s *Server) handleHarnesses(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string][]spec.Harness{"harnesses": s.harnesses.builtins()})
	return nil
}

package client

import (
	"context"
	"net/http"

	"lapctl/spec"
)

// Health checks GET /health, which needs no key.
func (c *Client) Health(ctx context.Context) error {
	var out struct {
		Status string `json:"status"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/health", result: &out})
	if err != nil && suggestsOtherServer(err) {
		// The managed server has no /health: it is up if its API answers.
		if p, _ := c.Detect(ctx); p == PlatformManaged {
			return nil
		}
	}
	return err
}

// Models lists GET /v1/models.
func (c *Client) Models(ctx context.Context) ([]spec.Model, error) {
	if err := c.need(ctx, "model catalog", func(k Capabilities) bool { return k.ModelCatalog }); err != nil {
		return nil, err
	}
	var out spec.ModelList
	err := c.do(ctx, call{method: http.MethodGet, path: "/v1/models", result: &out})
	return out.Data, err
}

// Runtimes lists GET /api/agent-runtimes.
func (c *Client) Runtimes(ctx context.Context) ([]spec.Runtime, error) {
	if err := c.need(ctx, "runtime catalog", func(k Capabilities) bool { return k.Platform != PlatformManaged }); err != nil {
		return nil, err
	}
	var out struct {
		Runtimes []spec.Runtime `json:"runtimes"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/api/agent-runtimes", result: &out})
	return out.Runtimes, err
}

// RuntimeHarnesses lists the registered harness aliases
// (GET /api/runtime-harnesses).
func (c *Client) RuntimeHarnesses(ctx context.Context) ([]spec.RuntimeHarness, error) {
	var out struct {
		Harnesses []spec.RuntimeHarness `json:"harnesses"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/api/runtime-harnesses", result: &out})
	return out.Harnesses, err
}

// Harnesses lists the harnesses agents may name on this platform, with
// their kind: the server's catalog where it has one, else the
// platform's own list (never an error for a missing catalog).
func (c *Client) Harnesses(ctx context.Context) ([]spec.Harness, error) {
	return run(c, ctx, func(d dialect) ([]spec.Harness, error) { return d.harnesses(ctx) })
}

// HarnessChoice is one value the harness field accepts: a built-in or a
// registered alias (always API-type).
type HarnessChoice struct {
	ID          string
	Name        string
	Kind        string
	Description string
	Available   bool
	Registered  bool
}

// HarnessChoices merges the built-in harnesses and the registered aliases
// into the list a picker shows. Registered aliases are optional: a server
// that lacks the endpoint yields the built-ins alone.
func (c *Client) HarnessChoices(ctx context.Context) ([]HarnessChoice, error) {
	builtins, err := c.Harnesses(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]HarnessChoice, 0, len(builtins))
	seen := map[string]bool{}
	for _, h := range builtins {
		out = append(out, HarnessChoice{ID: h.ID, Name: h.Name, Kind: h.Kind, Description: h.Description, Available: h.Available})
		seen[h.ID] = true
	}
	// The gateway's runtime-harnesses are runtimes (values for runtime),
	// and the managed server has none.
	if p := c.Platform(); p == PlatformGateway || p == PlatformManaged {
		return out, nil
	}
	aliases, err := c.RuntimeHarnesses(ctx)
	if err != nil && !IsNotFound(err) {
		return nil, err
	}
	for _, a := range aliases {
		if seen[a.Alias] {
			continue
		}
		desc := "registered harness"
		if a.APISpec != "" {
			desc += " (" + a.APISpec + ")"
		}
		out = append(out, HarnessChoice{ID: a.Alias, Name: a.DisplayName, Kind: spec.KindAPI, Description: desc, Available: a.Connected, Registered: true})
	}
	return out, nil
}

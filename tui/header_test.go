package tui

import (
	"testing"

	"lapctl/client"
	"lapctl/config"
)

// The header names a context only when the console really talks to it.
// `lapctl local` points its client at the server it runs (a flag-like
// override) and records that URL as the local context: the header must
// say "local" there, and nothing where a flag or $LITELLM_API_BASE points
// elsewhere than the saved context.
func TestEndpointInUse(t *testing.T) {
	t.Parallel()
	const run = "http://127.0.0.1:4000"
	cfg := &config.Config{Contexts: map[string]*config.Context{
		"local": {BaseURL: run},
		"prod":  {BaseURL: "https://prod.example"},
	}}
	for _, tc := range []struct {
		name     string
		ep       config.Endpoint
		clientAt string
		cfg      *config.Config
		wantCtx  string
		wantURL  string
	}{
		{"lapctl local", config.Endpoint{Context: "local", BaseURL: run, BaseURLFrom: config.FromFlag}, run, cfg, "local", run},
		{"local without its saved context", config.Endpoint{Context: "local", BaseURL: run, BaseURLFrom: config.FromFlag}, run, nil, "", run},
		{"flag elsewhere", config.Endpoint{Context: "prod", BaseURL: "http://10.0.0.9:4000", BaseURLFrom: config.FromFlag}, "http://10.0.0.9:4000", cfg, "", "http://10.0.0.9:4000"},
		{"env elsewhere", config.Endpoint{Context: "prod", BaseURL: "http://10.0.0.9:4000", BaseURLFrom: config.FromEnv}, "http://10.0.0.9:4000", cfg, "", "http://10.0.0.9:4000"},
		{"saved context", config.Endpoint{Context: "prod", BaseURL: "https://prod.example", BaseURLFrom: config.FromConfig}, "https://prod.example/", cfg, "prod", "https://prod.example"},
		{"client elsewhere", config.Endpoint{Context: "prod", BaseURL: "https://prod.example", BaseURLFrom: config.FromConfig}, "http://127.0.0.1:5000", cfg, "", "http://127.0.0.1:5000"},
		{"by hand", config.Endpoint{Context: "test", BaseURL: "http://lapctl.test"}, run, nil, "test", "http://lapctl.test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := client.New(client.Options{BaseURL: tc.clientAt})
			if err != nil {
				t.Fatal(err)
			}
			opts := testOptions(c)
			opts.Endpoint, opts.Config = tc.ep, tc.cfg
			ctx, url := New(opts).endpointInUse()
			if ctx != tc.wantCtx || !sameURL(url, tc.wantURL) {
				t.Errorf("endpointInUse = %q, %q; want %q, %q", ctx, url, tc.wantCtx, tc.wantURL)
			}
		})
	}
}

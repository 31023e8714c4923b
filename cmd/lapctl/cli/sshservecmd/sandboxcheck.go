package sshservecmd

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"lapctl/server"
	"lapctl/sshserve"
)

// requireSandbox refuses to serve owner-mapped keys on top of a lapctl
// server whose sessions run unsandboxed: there, a session's process runs
// as the server's user and can read every owner's data, so owners would
// be no boundary. A server that does not say (the hosted platform runs
// each session in its own pod) is trusted to isolate them.
func requireSandbox(ctx context.Context, baseURL, authorizedKeys string) error {
	data, err := os.ReadFile(authorizedKeys)
	if err != nil || !strings.Contains(string(data), sshserve.OwnerEnv+"=") {
		return nil // no owner mapping: every key acts as the operator
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(baseURL, "/")+"/health", nil)
	if err != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil // unreachable: the console reports that itself
	}
	resp.Body.Close()
	if resp.Header.Get(server.SandboxHeader) == "off" {
		return fmt.Errorf("%s maps keys to owners (%s), but the server at %s runs sessions with --no-sandbox: a session could read every owner's data. Restart it without --no-sandbox (bubblewrap must be installed), or remove the owner mappings", authorizedKeys, sshserve.OwnerEnv, baseURL)
	}
	return nil
}

// Package apitest is the client side of tests against a real platform
// server (servertest's embedded one, or `lapctl serve`). Only tests
// import it.
package apitest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"lapctl/client"
	"lapctl/spec"
)

// NewClient is a client of url that never retries, so a failure shows at
// once. Its idle connections are closed when the test ends, before the
// server shuts down: http.Server.Shutdown waits 5s on a connection that
// was dialled but never used.
func NewClient(t testing.TB, url, key string) *client.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.New(client.Options{BaseURL: url, APIKey: key, Retries: -1, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// WaitRunning polls until session id's process runs: the API has no way
// to wait for it.
func WaitRunning(t testing.TB, c *client.Client, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := c.GetSession(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status == spec.SessionRunning {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %s still %s", id, s.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestCreatesUnderCancellationNeverFail runs 16 clients creating agents,
// a third of whose requests are cancelled at a random moment, often while
// the server is inside the write transaction. Before the store kept a
// transaction alive past its request, such a cancel surfaced as a 500
// ("sql: transaction has already been committed or rolled back").
func TestCreatesUnderCancellationNeverFail(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	inst := servertest.Start(t, servertest.WithOptions(func(o *server.Options) {
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}))
	const clients = 16
	deadline := time.Now().Add(time.Second)
	var created, cancelled, failed atomic.Int64
	var wg sync.WaitGroup
	for w := range clients {
		wg.Go(func() {
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
			defer hc.CloseIdleConnections()
			for i := 0; time.Now().Before(deadline); i++ {
				body, _ := json.Marshal(spec.AgentSpec{Name: fmt.Sprintf("c%d-%d", w, i), OwnerID: "race",
					EnvVars: map[string]string{"A": "1", "B": "2"}})
				ctx, cancel := context.WithCancel(context.Background())
				if i%3 == 0 {
					time.AfterFunc(time.Duration(rand.IntN(1500))*time.Microsecond, cancel)
				}
				req, _ := http.NewRequestWithContext(ctx, "POST", inst.URL+"/api/agents", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+inst.Key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					cancel()
					cancelled.Add(1)
					continue
				}
				resp.Body.Close()
				cancel()
				switch resp.StatusCode {
				case http.StatusCreated:
					created.Add(1)
				default:
					failed.Add(1)
					t.Errorf("create: %d", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	if failed.Load() > 0 || strings.Contains(logs.String(), "request failed") {
		t.Fatalf("%d creates failed; server log:\n%s", failed.Load(), logs.String())
	}
	if created.Load() == 0 || cancelled.Load() == 0 {
		t.Fatalf("created %d, cancelled %d: the test exercised nothing", created.Load(), cancelled.Load())
	}
	// Every agent the store holds is counted, whether its client saw the
	// answer or not: total and a full walk agree.
	c := newClient(t, inst)
	var page spec.AgentList
	c.call("GET", "/api/agents?owner_id=race&limit=1", nil, http.StatusOK, &page)
	walked := 0
	for offset := 0; ; offset += spec.MaxListLimit {
		var p spec.AgentList
		c.call("GET", fmt.Sprintf("/api/agents?owner_id=race&limit=%d&offset=%d", spec.MaxListLimit, offset), nil, http.StatusOK, &p)
		walked += len(p.Agents)
		if len(p.Agents) < spec.MaxListLimit {
			break
		}
	}
	if page.Total != walked || int64(walked) < created.Load() {
		t.Fatalf("total %d, walked %d, created (answered) %d", page.Total, walked, created.Load())
	}
	t.Logf("created %d, cancelled %d", created.Load(), cancelled.Load())
}

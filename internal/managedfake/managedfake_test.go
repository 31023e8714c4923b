package managedfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func do(t *testing.T, method, url, key, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(data)
}

func TestManagedValidation(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{MasterKey: "k"})
	agents := s.URL + Prefix + "/agents"
	if code, _, body := do(t, "GET", agents, "bad", ""); code != 401 || body != "{\"error\":\"unauthorized\"}\n" {
		t.Errorf("401: %d %q", code, body)
	}
	files := make([]string, 21)
	for i := range files {
		files[i] = `{"name":"f","sandbox_path":"/f","content":"eA==","size":1}`
	}
	for _, tc := range []struct{ body, want string }{
		{`{}`, `"path":["model"]`},
		{`{"model":"m","env_vars":{"1BAD":"x"}}`, `"message":"invalid env var name","path":["env_vars","1BAD"]`},
		{`{"model":"m","env_vars":{"PORT":"1"}}`, `env_vars cannot override reserved keys`},
		{`{"model":"m","sandbox_files":[{"name":"f","sandbox_path":"rel","content":"eA==","size":1}]}`, `"path":["sandbox_files",0,"sandbox_path"]`},
		{`{"model":"m","sandbox_files":[` + strings.Join(files, ",") + `]}`, `sandbox_files: max 20 files`},
		{`{"model":"m","repo_url":"not a url"}`, `Invalid url`},
	} {
		code, _, body := do(t, "POST", agents, "k", tc.body)
		if code != 400 || !strings.HasPrefix(body, `{"error":[`) || !strings.Contains(body, tc.want) {
			t.Errorf("%.60s: %d %s", tc.body, code, body)
		}
	}
	env := map[string]string{}
	for i := range 51 {
		env["K"+strings.Repeat("x", i)] = "v"
	}
	data, _ := json.Marshal(map[string]any{"model": "m", "env_vars": env})
	if _, _, body := do(t, "POST", agents, "k", string(data)); !strings.Contains(body, "max 50 keys") {
		t.Errorf("51 keys: %s", body)
	}
	if code, _, body := do(t, "POST", agents, "k", `{"model":"m","harness_id":"nope"}`); code != 400 || !strings.HasPrefix(body, `{"error":{"error":"unknown harness_id`) {
		t.Errorf("unknown harness: %d %s", code, body)
	}
	if code, _, body := do(t, "POST", agents, "k", `{"model":"m","skill_ids":["skill_x"]}`); code != 404 || !strings.Contains(body, "one or more skill_ids not found") {
		t.Errorf("unknown skill: %d %s", code, body)
	}
	code, _, body := do(t, "POST", agents, "k", `{"model":"m","requirements":"x==1","env_vars":{"A":"1"}}`)
	var a map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &a) != nil || a["harness_id"] != "opencode" || a["branch"] != "main" || a["name"] != nil {
		t.Fatalf("create: %d %s", code, body)
	}
	if code, _, body := do(t, "DELETE", agents+"/"+a["id"].(string), "k", ""); code != 204 || body != "" {
		t.Errorf("delete: %d %q", code, body)
	}
	if code, ct, _ := do(t, "GET", s.URL+"/api/agents", "k", ""); code != 404 || !strings.HasPrefix(ct, "text/html") {
		t.Errorf("outside the prefix: %d %s", code, ct)
	}
}

func TestManagedSessionPhasesAndTTY(t *testing.T) {
	t.Parallel()
	var gotPath string
	tty := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gotPath = r.URL.Path; io.WriteString(w, "pty") })
	s := Start(t, Options{MasterKey: "k", PhaseStep: 2 * time.Millisecond, TTY: tty})
	_, _, body := do(t, "POST", s.URL+Prefix+"/agents", "k", `{"model":"m","harness_id":"claude-code"}`)
	var a map[string]any
	json.Unmarshal([]byte(body), &a)
	code, _, body := do(t, "POST", s.URL+Prefix+"/agents/"+a["id"].(string)+"/session", "k", `{"title":"t","initial_prompt":"hi","env_vars":{"B":"2"}}`)
	var sess map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &sess) != nil || sess["status"] != "creating" || sess["tty_url"] != nil {
		t.Fatalf("create session: %d %s", code, body)
	}
	id := sess["id"].(string)
	if code, _, _ := do(t, "POST", s.URL+Prefix+"/sessions/"+id+"/restart", "k", ""); code != 409 {
		t.Errorf("restart while creating: %d", code)
	}
	seen := map[string]bool{}
	deadline := time.Now().Add(5 * time.Second)
	for sess["status"] == "creating" && time.Now().Before(deadline) {
		_, _, body := do(t, "GET", s.URL+Prefix+"/sessions/"+id, "k", "")
		sess = map[string]any{}
		json.Unmarshal([]byte(body), &sess)
		if p, ok := sess["phase"].(string); ok {
			seen[p] = true
		}
	}
	if sess["status"] != "ready" || sess["tty_token"] != s.TTYToken || sess["tty_url"] != Prefix+"/sessions/"+id+"/tty" || len(seen) < 2 {
		t.Fatalf("ready session %v, phases seen %v", sess, seen)
	}
	if code, ct, body := do(t, "GET", s.URL+Prefix+"/sessions/"+id+"/tty?token=wrong", "", ""); code != 401 || ct != "text/html" || body != "unauthorized" || gotPath != "" {
		t.Errorf("bad token: %d %s %q (handler saw %q)", code, ct, body, gotPath)
	}
	if code, _, body := do(t, "GET", s.URL+Prefix+"/sessions/"+id+"/tty?token="+s.TTYToken, "", ""); code != 200 || body != "pty" || gotPath != "/tty" {
		t.Errorf("good token: %d %q, handler path %q", code, body, gotPath)
	}
	if code, _, body := do(t, "POST", s.URL+Prefix+"/sessions/"+id+"/message", "k", `{"text":"x"}`); code != 502 || !strings.Contains(body, "harness request failed") {
		t.Errorf("message to a PTY harness: %d %s", code, body)
	}
	for range 2 {
		if code, _, body := do(t, "DELETE", s.URL+Prefix+"/sessions/"+id, "k", ""); code != 200 || !strings.Contains(body, `"status":"deleted"`) {
			t.Errorf("delete (idempotent): %d %s", code, body)
		}
	}
}

func TestManagedFailedBringUp(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{PhaseStep: time.Millisecond, FailPhase: "pod_pending"})
	_, _, body := do(t, "POST", s.URL+Prefix+"/agents", "", `{"model":"m"}`)
	var a map[string]any
	json.Unmarshal([]byte(body), &a)
	_, _, body = do(t, "POST", s.URL+Prefix+"/agents/"+a["id"].(string)+"/session", "", `{}`)
	var sess map[string]any
	json.Unmarshal([]byte(body), &sess)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(body, `"status":"failed"`) && time.Now().Before(deadline) {
		_, _, body = do(t, "GET", s.URL+Prefix+"/sessions/"+sess["id"].(string), "", "")
	}
	if !strings.Contains(body, `"status":"failed"`) || !strings.Contains(body, `"failure_reason":"sandbox bring-up failed during pod_pending"`) {
		t.Errorf("failed session: %s", body)
	}
	if code, _, _ := do(t, "POST", s.URL+Prefix+"/sessions/"+sess["id"].(string)+"/message", "", `{"text":"x"}`); code != 404 {
		t.Errorf("message to a failed session: %d", code)
	}
}

package gatewayfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func do(t *testing.T, method, url, key, ctype, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(data)
}

func TestGatewayShapes(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{MasterKey: "k", ReplyDelay: 10 * time.Millisecond})
	const js = "application/json"
	// Body rejections come before the key check, in plain text.
	for _, tc := range []struct {
		ctype, body string
		code        int
		text        string
	}{
		{"text/plain", `{}`, 415, "Content-Type: application/json"},
		{js, `{"name":`, 400, "Failed to parse the request body as JSON"},
		{js, `{"name":"a"}`, 422, "missing field `owner_id`"},
		{js, `{"name":1,"owner_id":"o"}`, 422, "invalid type"},
		{js, `{"name":"` + strings.Repeat("x", 3<<20) + `"}`, 413, "length limit exceeded"},
	} {
		code, ct, body := do(t, "POST", s.URL+"/api/agents", "wrong-key", tc.ctype, tc.body)
		if code != tc.code || !strings.HasPrefix(ct, "text/plain") || !strings.Contains(body, tc.text) {
			t.Errorf("%s %.30q: %d %s %q", tc.ctype, tc.body, code, ct, body)
		}
	}
	if code, _, body := do(t, "GET", s.URL+"/api/agents", "wrong", "", ""); code != 401 || !strings.Contains(body, `"type":"gateway_error"`) {
		t.Errorf("401: %d %s", code, body)
	}
	// Unknown GETs are the web UI.
	if code, ct, body := do(t, "GET", s.URL+"/api/harnesses", "k", "", ""); code != 200 || !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "<!DOCTYPE html>") {
		t.Errorf("unknown GET: %d %s", code, ct)
	}
	code, _, body := do(t, "POST", s.URL+"/api/agents", "k", js, `{"name":"n","owner_id":"o","harness":"codex","prompt":"p","env_vars":{"A":"1"},"tools":[{"t":1}]}`)
	var a map[string]any
	if code != 201 || json.Unmarshal([]byte(body), &a) != nil {
		t.Fatalf("create: %d %s", code, body)
	}
	if a["harness"] != "claude-code" || a["system"] != "p" || a["status"] != "paused" || a["env_vars"] != nil || a["config"].(map[string]any)["tools"] == nil {
		t.Errorf("created %v", a)
	}
	_, _, list := do(t, "GET", s.URL+"/session", "k", "", "")
	if !strings.Contains(list, `"title":"agent-builder-n"`) {
		t.Errorf("no builder session: %s", list)
	}
	code, _, body = do(t, "POST", s.URL+"/session", "k", js, `{"agent_id":"`+a["id"].(string)+`"}`)
	if code != 200 || !strings.Contains(body, `"agent":"claude-code"`) {
		t.Errorf("agent_id alone must give an unbound session: %d %s", code, body)
	}
	var sess map[string]any
	_, _, body = do(t, "POST", s.URL+"/session", "k", js, `{"agent":"`+a["id"].(string)+`"}`)
	json.Unmarshal([]byte(body), &sess)
	sid := sess["id"].(string)
	if code, _, body := do(t, "POST", s.URL+"/session/"+sid+"/message", "k", js, `{"parts":[{"type":"text","text":"hi"}]}`); code != 400 || !strings.Contains(body, "missing model") {
		t.Errorf("no model: %d %s", code, body)
	}
	if code, _, body := do(t, "POST", s.URL+"/session/"+sid+"/message", "k", js, `{"model":{"modelID":"m"},"parts":[{"type":"text","text":"hi"}]}`); code != 200 || strings.Contains(body, "assistant") {
		t.Errorf("the POST returns the history so far, without the reply: %d %s", code, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, _, body := do(t, "GET", s.URL+"/session/"+sid+"/message", "k", "", "")
		if strings.Contains(body, `"role":"assistant"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no async reply")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, _, body := do(t, "DELETE", s.URL+"/session/"+sid, "k", "", ""); strings.TrimSpace(body) != "true" {
		t.Errorf("delete: %s", body)
	}
	if _, _, body := do(t, "DELETE", s.URL+"/session/"+sid, "k", "", ""); strings.TrimSpace(body) != "false" {
		t.Errorf("delete unknown: %s", body)
	}
	if _, _, body := do(t, "DELETE", s.URL+"/api/agents/"+a["id"].(string), "k", "", ""); !strings.Contains(body, `"ok":true`) {
		t.Errorf("delete agent: %s", body)
	}
}

func TestGatewayEventStream(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{ReplyDelay: 5 * time.Millisecond})
	resp, err := http.Get(s.URL + "/event")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	_, _, body := do(t, "POST", s.URL+"/session", "", "application/json", `{}`)
	var sess map[string]any
	json.Unmarshal([]byte(body), &sess)
	do(t, "POST", s.URL+"/session/"+sess["id"].(string)+"/message", "", "application/json", `{"model":{"modelID":"m"},"parts":[{"type":"text","text":"x"}]}`)
	buf := make([]byte, 4096)
	var got string
	for !strings.Contains(got, "session.idle") {
		n, err := resp.Body.Read(buf)
		if err != nil {
			t.Fatalf("stream ended: %v after %q", err, got)
		}
		got += string(buf[:n])
	}
	if !strings.Contains(got, "message.part.delta") {
		t.Errorf("events %q", got)
	}
}

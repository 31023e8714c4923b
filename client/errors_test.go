package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"lapctl/client"
)

func TestAPIErrorShapes(t *testing.T) {
	const html = "<!DOCTYPE html>\n<html>\n<head><title>500 Internal Server Error</title></head>\n" +
		"<body>\n<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
	for _, tc := range []struct {
		desc        string
		status      int
		ctype       string // "" serves application/json
		body        string
		requestID   string
		typ, field  string
		message     string
		errContains []string
	}{
		{desc: "contract shape with field", status: 400,
			body: `{"error":{"type":"invalid_request","message":"env var name PORT is reserved","field":"env_vars.PORT"}}`,
			typ:  "invalid_request", field: "env_vars.PORT", message: "env var name PORT is reserved",
			errContains: []string{"GET /api/agents/agent_1: 400 Bad Request: env_vars.PORT: env var name PORT is reserved"}},
		{desc: "401", status: 401, requestID: "req_401",
			body: `{"error":{"type":"unauthorized","message":"missing or wrong key"}}`,
			typ:  "unauthorized", message: "missing or wrong key",
			errContains: []string{"401 Unauthorized", "missing or wrong key", "lapctl login", "LITELLM_MASTER_KEY"}},
		{desc: "404", status: 404, body: `{"error":{"type":"not_found","message":"agent agent_1 not found"}}`,
			typ: "not_found", message: "agent agent_1 not found", errContains: []string{"404 Not Found", "agent agent_1 not found"}},
		{desc: "409", status: 409, body: `{"error":{"type":"conflict","message":"agent is running"}}`,
			typ: "conflict", message: "agent is running", errContains: []string{"409 Conflict"}},
		{desc: "413", status: 413, body: `{"error":{"type":"too_large","message":"body over 16 MiB"}}`,
			typ: "too_large", message: "body over 16 MiB"},
		{desc: "500", status: 500, requestID: "req_abc-123",
			body: `{"error":{"type":"server_error","message":"database is locked"}}`,
			typ:  "server_error", message: "database is locked", errContains: []string{"500 Internal Server Error: database is locked"}},
		{desc: "type missing from the body", status: 404, body: `{"error":{"message":"gone"}}`,
			typ: "not_found", message: "gone"},
		{desc: "older string shape", status: 400, body: `{"error":"name is required"}`,
			typ: "invalid_request", message: "name is required", errContains: []string{"400 Bad Request: name is required"}},
		{desc: "older string shape 409", status: 409, body: `{"error":"already exists"}`,
			typ: "conflict", message: "already exists"},
		{desc: "top-level message", status: 403, body: `{"message":"forbidden by policy"}`,
			typ: "unauthorized", message: "forbidden by policy"},
		{desc: "FastAPI detail string", status: 404, body: `{"detail":"Not Found"}`,
			typ: "not_found", message: "Not Found"},
		{desc: "FastAPI detail object", status: 400, body: `{"detail":{"error":"bad model"}}`,
			typ: "invalid_request", message: `{"error":"bad model"}`},
		{desc: "plain text", status: 401, ctype: "text/plain; charset=utf-8", body: "Unauthorized: bad key\n",
			typ: "unauthorized", message: "Unauthorized: bad key"},
		{desc: "plain text, multi-line", status: 413, ctype: "text/plain", body: "request body\n  too large\n",
			typ: "too_large", message: "request body too large"},
		{desc: "HTML page", status: 500, ctype: "text/html", body: html,
			typ: "server_error", errContains: []string{"500 Internal Server Error"}},
		{desc: "empty body", status: 404, ctype: "text/plain", body: "",
			typ: "not_found", message: "", errContains: []string{"GET /api/agents/agent_1: 404 Not Found"}},
		{desc: "binary garbage", status: 500, ctype: "application/octet-stream", body: "\xff\xfe\x00bad",
			typ: "server_error", message: ""},
		{desc: "JSON with an unexpected shape", status: 400, body: `[1,2,3]`,
			typ: "invalid_request", message: "[1,2,3]"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			m := newMock(t)
			r := &route{method: "GET", path: "/api/agents/agent_1", status: tc.status, resp: tc.body, header: map[string]string{}}
			if tc.ctype != "" {
				r.rawResp = true
				r.header["Content-Type"] = tc.ctype
			}
			if tc.requestID != "" {
				r.header["X-Request-Id"] = tc.requestID
			}
			m.on(r)
			_, err := m.client().GetAgent(context.Background(), "agent_1")
			var ae *client.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if ae.StatusCode != tc.status || ae.Type != tc.typ || ae.Field != tc.field ||
				ae.Method != "GET" || ae.Path != "/api/agents/agent_1" || ae.RequestID != tc.requestID {
				t.Errorf("APIError = %+v", *ae)
			}
			if tc.desc != "HTML page" && ae.Message != tc.message {
				t.Errorf("Message = %q, want %q", ae.Message, tc.message)
			}
			for _, s := range tc.errContains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Error() = %q, want it to contain %q", err.Error(), s)
				}
			}
			if strings.ContainsAny(ae.Message, "\n\r") {
				t.Errorf("Message spans lines: %q", ae.Message)
			}
			if tc.status != 401 && strings.Contains(err.Error(), "lapctl login") {
				t.Errorf("non-401 error suggests logging in: %q", err.Error())
			}
		})
	}
}

func TestAPIErrorHTMLPageIsOneReadableLine(t *testing.T) {
	m := newMock(t)
	page := "<html>\n<body>\n<h1>Bad Gateway</h1>\n" + strings.Repeat("<p>filler</p>\n", 100) + "</body>\n</html>"
	m.on(&route{method: "POST", path: "/api/agents/agent_1/pause", status: 500, rawResp: true,
		header: map[string]string{"Content-Type": "text/html"}, resp: page})
	_, err := m.client().PauseAgent(context.Background(), "agent_1")
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(ae.Message, "Bad Gateway") || strings.Contains(ae.Message, "\n") {
		t.Errorf("Message = %q", ae.Message)
	}
	if n := len([]rune(ae.Message)); n > 301 {
		t.Errorf("Message is %d characters, want it cut to about 300", n)
	}
	if !strings.HasSuffix(ae.Message, "…") {
		t.Errorf("cut Message does not end with …: %q", ae.Message)
	}
}

func TestStatusHelpers(t *testing.T) {
	for _, tc := range []struct {
		err                      error
		status                   int
		notFound, unauth, confli bool
	}{
		{nil, 0, false, false, false},
		{errors.New("plain"), 0, false, false, false},
		{&client.APIError{StatusCode: 404}, 404, true, false, false},
		{&client.APIError{StatusCode: 401}, 401, false, true, false},
		{&client.APIError{StatusCode: 409}, 409, false, false, true},
		{&client.APIError{StatusCode: 500}, 500, false, false, false},
		{fmt.Errorf("getting agent: %w", &client.APIError{StatusCode: 404}), 404, true, false, false},
		{fmt.Errorf("a: %w", fmt.Errorf("b: %w", &client.APIError{StatusCode: 409})), 409, false, false, true},
		{&client.ConnError{BaseURL: "http://127.0.0.1:1", Err: errors.New("x")}, 0, false, false, false},
		{&client.RefError{Kind: "agent", Ref: "x"}, 0, false, false, false},
	} {
		if got := client.StatusOf(tc.err); got != tc.status {
			t.Errorf("StatusOf(%v) = %d, want %d", tc.err, got, tc.status)
		}
		if client.IsNotFound(tc.err) != tc.notFound || client.IsUnauthorized(tc.err) != tc.unauth || client.IsConflict(tc.err) != tc.confli {
			t.Errorf("Is* wrong for %v", tc.err)
		}
	}
}

func TestAPIErrorLongPlainTextCutOnARuneBoundary(t *testing.T) {
	m := newMock(t)
	body := strings.Repeat("x", 299) + strings.Repeat("日本語", 50)
	m.on(&route{method: "GET", path: "/api/skills/skill_1", status: 500, rawResp: true,
		header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, resp: body})
	_, err := m.client().GetSkill(context.Background(), "skill_1")
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if !utf8.ValidString(ae.Message) {
		t.Errorf("Message is not valid UTF-8: %q", ae.Message)
	}
	if !strings.HasPrefix(ae.Message, strings.Repeat("x", 299)) || !strings.HasSuffix(ae.Message, "…") || len(ae.Message) > 300+len("…") {
		t.Errorf("Message = %q", ae.Message)
	}
}

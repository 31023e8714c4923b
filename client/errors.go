package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"lapctl/spec"
)

// APIError is an error response from the server: its status, and the type,
// field and message of the body in whichever of the contract's three
// shapes it came.
type APIError struct {
	StatusCode int
	Type       string
	Field      string
	Message    string
	Method     string
	Path       string
	RequestID  string
	// Issues are the field-by-field complaints of a validation error (the
	// managed server's zod issues), with paths in lapctl's field names so
	// a form can jump to the step.
	Issues []Issue
	// HTML: the server answered with a web page where JSON was expected
	// (a missing endpoint behind a web UI).
	HTML bool
	// jsonBody: the body was JSON (a route that exists answered);
	// typed: it had lapctl's or the gateway's {"error":{"type":…}}.
	jsonBody, typed bool
}

// Issue is one field's complaint.
type Issue struct {
	Field   string
	Message string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	for _, is := range e.Issues {
		if is.Field != "" {
			fmt.Fprintf(&b, "\n  %s: %s", is.Field, is.Message)
		} else {
			fmt.Fprintf(&b, "\n  %s", is.Message)
		}
	}
	if e.StatusCode == http.StatusUnauthorized {
		b.WriteString(" (check the master key: lapctl login, --api-key or LITELLM_MASTER_KEY)")
	}
	return b.String()
}

// StatusOf returns the HTTP status of an *APIError in err's chain, or 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// IsNotFound reports a 404 from the server.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsUnauthorized reports a 401 from the server.
func IsUnauthorized(err error) bool { return StatusOf(err) == http.StatusUnauthorized }

// IsConflict reports a 409 from the server.
func IsConflict(err error) bool { return StatusOf(err) == http.StatusConflict }

// parseAPIError reads every error shape the three dialects send:
// {"error":{type,message,field}} (lapctl, gateway_error), {"error":"text"}
// (managed), {"error":[zod issues]}, {"error":{"error":…}} (managed's
// unknown harness), a few framework shapes, and plain text (axum's body
// rejections, proxies, web pages).
func parseAPIError(method, path string, status int, requestID string, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path, RequestID: requestID}
	var shaped struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &shaped) == nil {
		e.jsonBody = true
		var text string
		switch {
		case len(shaped.Error) > 0:
			readErrorValue(e, shaped.Error, 0)
		case shaped.Message != "":
			e.Message = shaped.Message
		case len(shaped.Detail) > 0 && json.Unmarshal(shaped.Detail, &text) == nil:
			e.Message = text
		case len(shaped.Detail) > 0:
			e.Message = string(shaped.Detail)
		}
	}
	if e.Message == "" && len(e.Issues) == 0 {
		e.HTML = isHTML("", body)
		e.Message = plainText(body)
	}
	if len(e.Issues) == 1 && e.Field == "" {
		e.Field = e.Issues[0].Field
	}
	if e.Type == "" {
		e.Type = typeForStatus(status)
	}
	return e
}

// readErrorValue reads the value of an "error" key: text, an object
// (possibly holding another "error"), or an array of zod issues.
func readErrorValue(e *APIError, raw json.RawMessage, depth int) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		e.Message = text
		return
	}
	var issues []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Path    []any  `json:"path"`
	}
	if json.Unmarshal(raw, &issues) == nil {
		for _, is := range issues {
			e.Issues = append(e.Issues, Issue{Field: issuePath(is.Path), Message: is.Message})
		}
		e.Type = spec.ErrInvalidRequest
		e.Message = "the server refused the request"
		return
	}
	var obj struct {
		spec.ErrorDetail
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &obj) != nil {
		e.Message = string(raw)
		return
	}
	e.Type, e.Field, e.Message = obj.Type, obj.Field, obj.Message
	e.typed = obj.Type != ""
	if e.Message == "" && len(obj.Error) > 0 && depth < 3 {
		readErrorValue(e, obj.Error, depth+1)
	}
}

// managed field names → lapctl's.
var issueFieldNames = map[string]string{
	"harness_id":         "harness",
	"attached_skill_ids": "skill_ids",
	"initial_prompt":     "prompt",
}

// issuePath renders a zod path (["sandbox_files",0,"sandbox_path"]) in
// lapctl's field syntax (sandbox_files[0].sandbox_path).
func issuePath(path []any) string {
	var b strings.Builder
	for i, p := range path {
		switch v := p.(type) {
		case float64:
			fmt.Fprintf(&b, "[%d]", int(v))
		case string:
			if i == 0 {
				if n, ok := issueFieldNames[v]; ok {
					v = n
				}
			} else {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// plainText trims a non-JSON body (an HTML error page, a proxy message)
// to something fit for one line.
func plainText(body []byte) string {
	s := strings.TrimSpace(string(body))
	if !utf8.ValidString(s) {
		return ""
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(s[cut]) { // never split a rune
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func typeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return spec.ErrInvalidRequest
	case http.StatusUnauthorized, http.StatusForbidden:
		return spec.ErrUnauthorized
	case http.StatusNotFound:
		return spec.ErrNotFound
	case http.StatusConflict:
		return spec.ErrConflict
	case http.StatusRequestEntityTooLarge:
		return spec.ErrTooLarge
	case http.StatusBadGateway:
		return spec.ErrRuntime
	}
	return spec.ErrServer
}

// RuleServer is the rule of a field error the server reported.
const RuleServer = "server"

// FieldErrors returns the server's field complaints as spec.Errors (a
// form jumps to the step owning each field), or nil when it named none.
func (e *APIError) FieldErrors() spec.Errors {
	var out spec.Errors
	for _, is := range e.Issues {
		if is.Field != "" {
			out = append(out, &spec.FieldError{Field: is.Field, Rule: RuleServer, Message: is.Message})
		}
	}
	if len(out) == 0 && e.Field != "" {
		out = append(out, &spec.FieldError{Field: e.Field, Rule: RuleServer, Message: e.Message})
	}
	return out
}

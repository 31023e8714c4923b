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

// parseAPIError reads {"error":{type,message,field}}, {"error":"text"},
// a few common framework shapes, or a plain-text body.
func parseAPIError(method, path string, status int, requestID string, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path, RequestID: requestID}
	var shaped struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &shaped) == nil {
		var detail spec.ErrorDetail
		var text string
		switch {
		case len(shaped.Error) > 0 && json.Unmarshal(shaped.Error, &detail) == nil && detail.Message != "":
			e.Type, e.Field, e.Message = detail.Type, detail.Field, detail.Message
		case len(shaped.Error) > 0 && json.Unmarshal(shaped.Error, &text) == nil:
			e.Message = text
		case shaped.Message != "":
			e.Message = shaped.Message
		case len(shaped.Detail) > 0 && json.Unmarshal(shaped.Detail, &text) == nil:
			e.Message = text
		case len(shaped.Detail) > 0:
			e.Message = string(shaped.Detail)
		}
	}
	if e.Message == "" {
		e.Message = plainText(body)
	}
	if e.Type == "" {
		e.Type = typeForStatus(status)
	}
	return e
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

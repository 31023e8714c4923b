package server

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"lapctl/spec"
)

// tooLarge is the 413 for bodies past spec.MaxBodyBytes.
func tooLarge() *apiError {
	return newAPIError(http.StatusRequestEntityTooLarge, spec.ErrTooLarge, "",
		"request body is larger than %d bytes (16 MiB): shrink sandbox_files or send less at once", spec.MaxBodyBytes)
}

// unsupportedMediaType is the 415 for a body not declared as JSON.
func unsupportedMediaType(got string) *apiError {
	if got == "" {
		got = "none"
	}
	return newAPIError(http.StatusUnsupportedMediaType, spec.ErrInvalidRequest, "",
		"request body must be JSON: send Content-Type: application/json (got %s)", got)
}

// isJSONContentType accepts what the gateway's JSON extractor accepts:
// application/json and application/<anything>+json, with any parameters.
func isJSONContentType(header string) bool {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		return false
	}
	typ, sub, ok := strings.Cut(mt, "/")
	return ok && typ == "application" && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

// decodeJSON reads the request body (at most spec.MaxBodyBytes) into dst,
// turning every way it can be wrong into a 400, 413 or 415 that says what
// to fix. The content type is checked first, as the gateway does, so even
// an empty body must be declared JSON; the key is checked before either
// (unlike the gateway), so a caller without it learns nothing about bodies.
//
// extra are more destinations for the same body, for fields a handler
// reads beside a spec type (not embedded in it: a type error would then
// name the Go struct in its field path).
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any, extra ...any) error {
	if ct := r.Header.Get("Content-Type"); !isJSONContentType(ct) {
		return unsupportedMediaType(ct)
	}
	if r.ContentLength > spec.MaxBodyBytes {
		return tooLarge()
	}
	body := http.MaxBytesReader(w, r.Body, spec.MaxBodyBytes)
	dec := json.NewDecoder(body)
	// One value: straight into dst; with extra destinations, once into raw
	// and then into each.
	var raw json.RawMessage
	target := any(&raw)
	if len(extra) == 0 {
		target = dst
	}
	more := false
	err := readWithDeadline(w, func() error {
		err := dec.Decode(target)
		more = err == nil && dec.More()
		return err
	})
	if more {
		return badRequest("", "request body holds more than one JSON value: send a single JSON object")
	}
	if err != nil || len(extra) == 0 {
		return bodyError(err)
	}
	for _, d := range append([]any{dst}, extra...) {
		if err := json.Unmarshal(raw, d); err != nil {
			return bodyError(err)
		}
	}
	return nil
}

// bodyError explains why a body could not be decoded (nil for none).
func bodyError(err error) error {
	if err == nil {
		return nil
	}
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case isTimeout(err):
		return bodyTimeout()
	case errors.As(err, &maxErr):
		return tooLarge()
	case errors.Is(err, io.EOF):
		return badRequest("", "request body is empty: send a JSON object")
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "request body is not valid JSON: %v", err)
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return badRequest("", "request body must be a JSON object, not %s", typeErr.Value)
		}
		return badRequest(typeErr.Field, "%s must be %s, not %s", typeErr.Field, jsonTypeName(typeErr.Type.Kind().String()), typeErr.Value)
	}
	return badRequest("", "request body cannot be read: %v", err)
}

// jsonTypeName names a Go kind the way a JSON user thinks of it.
func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return "of another type"
}

// queryInt reads an integer query parameter within [lo, hi] (hi < 0: no
// upper bound), or def when absent.
func queryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || (hi >= 0 && n > hi) {
		if hi < 0 {
			return 0, badRequest(name, "%s must be an integer ≥ %d, not %q", name, lo, raw)
		}
		return 0, badRequest(name, "%s must be an integer from %d to %d, not %q", name, lo, hi, raw)
	}
	return n, nil
}

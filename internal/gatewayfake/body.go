package gatewayfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

const maxBody = 2 << 20

// required fields of each JSON body (axum's Json<T> rejects a missing
// one with 422 before the handler, hence before the key check).
var requiredFields = map[string][]string{
	"POST /api/agents": {"name", "owner_id"},
	"POST /api/skills": {"name", "content"},
}

// readBody is axum's Json extractor: 415, 413, 400 and 422 in plain text.
func readBody(w http.ResponseWriter, r *http.Request, route string) (map[string]any, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		plain(w, http.StatusUnsupportedMediaType, "Expected request with `Content-Type: application/json`")
		return nil, false
	}
	data := make([]byte, 0, 512)
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Body.Read(buf)
		data = append(data, buf[:n]...)
		if len(data) > maxBody {
			plain(w, http.StatusRequestEntityTooLarge, "Failed to buffer the request body: length limit exceeded")
			return nil, false
		}
		if err != nil {
			break
		}
	}
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		var typeErr *json.UnmarshalTypeError
		if asTypeErr(err, &typeErr) {
			plain(w, http.StatusUnprocessableEntity, "Failed to deserialize the JSON body into the target type: invalid type: expected a map")
		} else {
			plain(w, http.StatusBadRequest, "Failed to parse the request body as JSON: "+err.Error())
		}
		return nil, false
	}
	for _, f := range requiredFields[route] {
		if _, ok := body[f]; !ok {
			plain(w, http.StatusUnprocessableEntity, fmt.Sprintf("Failed to deserialize the JSON body into the target type: missing field `%s` at line 1 column %d", f, len(data)))
			return nil, false
		}
	}
	if !strings.Contains(route, "/api/") {
		return body, true
	}
	for _, f := range []string{"name", "owner_id", "model", "system", "prompt", "description", "harness"} {
		if v, ok := body[f]; ok && v != nil {
			if _, isStr := v.(string); !isStr {
				plain(w, http.StatusUnprocessableEntity, fmt.Sprintf("Failed to deserialize the JSON body into the target type: %s: invalid type: expected a string", f))
				return nil, false
			}
		}
	}
	return body, true
}

func asTypeErr(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

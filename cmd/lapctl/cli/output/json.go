package output

import (
	"encoding/json"
	"io"
)

// WriteJSON prints v as indented JSON with a final newline, leaving <, >
// and & as they are (output is for people and jq, not HTML).
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

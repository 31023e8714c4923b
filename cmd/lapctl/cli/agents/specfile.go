package agents

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"lapctl/cmd/lapctl/cli/cmdutil"
)

// readOnlyFields are the fields of an agent object that are not part of a
// spec: `agents get --json` output may be fed back to create or edit.
var readOnlyFields = []string{"id", "status", "created_at", "updated_at", "supports_tui", "session_count"}

// decodeSpecFile reads a whole agent spec (YAML or JSON, "-" for stdin)
// into dst, a *spec.AgentSpec or *spec.AgentPatch. YAML goes through JSON
// so both formats share the JSON field names, and unknown fields are
// errors, since a typo would otherwise be silently dropped.
func decodeSpecFile(who cmdutil.Caller, path string, dst any) error {
	data, err := cmdutil.ReadInput(who, "--from-file", path)
	if err != nil {
		return err
	}
	name := path
	if path == "-" {
		name = "stdin"
	}
	var doc map[string]any
	ext := strings.ToLower(filepath.Ext(path))
	isJSON := ext == ".json" || (ext == "" && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")))
	if isJSON {
		err = json.Unmarshal(data, &doc)
	} else {
		err = yaml.Unmarshal(data, &doc)
	}
	if err != nil {
		return fmt.Errorf("%s: not a valid agent spec: %w", name, err)
	}
	if doc == nil {
		return fmt.Errorf("%s: the file is empty: write the agent's fields (name, model, system...)", name)
	}
	for _, k := range readOnlyFields {
		delete(doc, k)
	}
	buf, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lapctl/secret"
)

// Export is gh-style JSON output: --json (everything), --json id,name
// (those fields of each object), --jq EXPR. Objects are printed as the
// server sent them (Raw), with env var values and tokens masked unless
// ShowSecrets.
type Export struct {
	Enabled     bool
	Fields      []string
	JQ          string
	ShowSecrets bool
}

// allFields is what a bare --json means.
const allFields = "*"

type jsonValue struct {
	e       *Export
	enabled *bool
}

func (v *jsonValue) String() string { return strings.Join(v.e.Fields, ",") }
func (v *jsonValue) Type() string   { return "fields" }
func (v *jsonValue) Set(s string) error {
	v.e.Enabled = true
	if v.enabled != nil {
		*v.enabled = true
	}
	s = strings.TrimSpace(s)
	if s == "" || s == allFields {
		v.e.Fields = nil
		return nil
	}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			v.e.Fields = append(v.e.Fields, f)
		}
	}
	return nil
}

// AddJSONFlags registers --json[=fields] and --jq on cmd; enabled (the
// command's old JSON switch) is set too.
func AddJSONFlags(cmd *cobra.Command, e *Export, enabled *bool, what string) {
	f := cmd.Flags().VarPF(&jsonValue{e: e, enabled: enabled}, "json", "",
		"Print "+what+" as JSON, as the server sent it; --json id,name picks fields")
	f.NoOptDefVal = allFields
	cmd.Flags().StringVar(&e.JQ, "jq", "", "Filter the JSON output with a jq expression (implies --json)")
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if e.JQ != "" {
			if _, err := gojq.Parse(e.JQ); err != nil {
				return fmt.Errorf("--jq: %w", err)
			}
			e.Enabled = true
			if enabled != nil {
				*enabled = true
			}
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
}

var fieldList = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)+,?$|^[A-Za-z_][A-Za-z0-9_]*,$`)

// knownFields are object keys a lone --json FIELD may name.
var knownFields = map[string]bool{
	"id": true, "name": true, "model": true, "status": true, "harness": true, "harness_id": true, "owner_id": true,
	"title": true, "agent": true, "agent_id": true, "created_at": true, "phase": true, "system": true, "prompt": true,
	"description": true, "kind": true, "time": true, "content": true,
}

// RewriteJSONArgs turns gh's spaced form (--json id,name) into
// --json=id,name, which a flag with an optional value needs: a following
// word that is a field list (has a comma, or is a known field name).
func RewriteJSONArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if a == "--json" && i+1 < len(args) && (fieldList.MatchString(args[i+1]) || knownFields[args[i+1]]) {
			out = append(out, "--json="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// Write prints v: raw server objects (json.RawMessage, or a slice of
// them) or any value, through field selection, masking and --jq.
func (e *Export) Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	data := buf.Bytes()
	decode := func() (any, error) {
		var doc any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		return doc, dec.Decode(&doc)
	}
	doc, err := decode()
	if err != nil {
		return err
	}
	if !e.ShowSecrets {
		doc = secret.MaskDoc(doc)
	}
	if len(e.Fields) == 0 && e.JQ == "" {
		if orig, _ := decode(); reflect.DeepEqual(orig, doc) {
			// Nothing to mask: the server's bytes, key order and all.
			var out bytes.Buffer
			if err := json.Indent(&out, bytes.TrimSpace(data), "", "  "); err != nil {
				return err
			}
			out.WriteByte('\n')
			_, err := w.Write(out.Bytes())
			return err
		}
	}
	if len(e.Fields) > 0 {
		doc = pick(doc, e.Fields)
	}
	if e.JQ == "" {
		return WriteJSON(w, doc)
	}
	q, err := gojq.Parse(e.JQ)
	if err != nil {
		return fmt.Errorf("--jq: %w", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return fmt.Errorf("--jq: %w", err)
	}
	// gojq wants plain numbers.
	var plainDoc any
	if err := json.Unmarshal(mustJSON(doc), &plainDoc); err != nil {
		return err
	}
	iter := code.Run(plainDoc)
	for {
		out, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := out.(error); isErr {
			return fmt.Errorf("--jq: %w", err)
		}
		if s, isStr := out.(string); isStr {
			fmt.Fprintln(w, s) // like gh and jq -r
			continue
		}
		if err := writeCompact(w, out); err != nil {
			return err
		}
	}
}

func mustJSON(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}

func writeCompact(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// pick keeps the named fields of an object, or of each object of a list.
func pick(doc any, fields []string) any {
	switch t := doc.(type) {
	case []any:
		for i := range t {
			t[i] = pick(t[i], fields)
		}
		return t
	case map[string]any:
		out := map[string]any{}
		for _, f := range fields {
			if v, ok := t[f]; ok {
				out[f] = v
			} else {
				out[f] = nil
			}
		}
		return out
	}
	return doc
}

// FlagChanged reports whether --json or --jq was given.
func FlagChanged(fs *pflag.FlagSet) bool { return fs.Changed("json") || fs.Changed("jq") }

package output

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestRewriteJSONArgs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"agents list --json id,name", "agents list --json=id,name"},
		{"agents get --json id", "agents get --json=id"},
		{"agents get --json reviewer", "agents get --json reviewer"},
		{"agents get reviewer --json", "agents get reviewer --json"},
		{"sessions send s -- --json id,name", "sessions send s -- --json id,name"},
	} {
		if got := strings.Join(RewriteJSONArgs(strings.Fields(tc.in)), " "); got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExportKeepsServerObjectsMasksSecretsPicksFields(t *testing.T) {
	t.Parallel()
	raw := json.RawMessage(`{"id":"a1","harness_id":"codex","env_vars":{"TOKEN":"s3cret-long-value"},"created_at":"2026-01-02T03:04:05.000Z","n":12345678901234567890}`)
	var b bytes.Buffer
	if err := (&Export{Enabled: true}).Write(&b, []any{raw}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "s3cret-long-value") || !strings.Contains(out, `"harness_id": "codex"`) || !strings.Contains(out, "12345678901234567890") {
		t.Errorf("bare --json:\n%s", out)
	}
	b.Reset()
	if err := (&Export{Enabled: true, Fields: []string{"id", "missing"}}).Write(&b, raw); err != nil {
		t.Fatal(err)
	}
	var picked map[string]any
	if err := json.Unmarshal(b.Bytes(), &picked); err != nil || picked["id"] != "a1" || len(picked) != 2 {
		t.Errorf("--json id,missing: %s (%v)", b.String(), err)
	}
	b.Reset()
	if err := (&Export{Enabled: true, JQ: ".[] | .id, (.env_vars | keys)"}).Write(&b, []any{raw}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); !slices.Equal(lines, []string{"a1", "[", `  "TOKEN"`, "]"}) {
		t.Errorf("--jq: %q", lines)
	}
	if err := (&Export{Enabled: true, JQ: ".[] | error(\"boom\")"}).Write(&b, []any{raw}); err == nil || !strings.Contains(err.Error(), "--jq") {
		t.Errorf("jq error: %v", err)
	}
}

func TestExportKeepsTheServersKeyOrder(t *testing.T) {
	t.Parallel()
	raw := json.RawMessage(`{"zeta":1,"alpha":"<b>&","env_vars":{}}`)
	var b bytes.Buffer
	if err := (&Export{Enabled: true}).Write(&b, raw); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"zeta\": 1,\n  \"alpha\": \"<b>&\",\n  \"env_vars\": {}\n}\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

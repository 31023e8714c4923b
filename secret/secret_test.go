package secret

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"sk-local", "****"},
		{"sk-1234567890abcdef", "sk-1****"},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskJSONHidesSecrets(t *testing.T) {
	body := `{"name":"a","env_vars":{"GITHUB_TOKEN":"ghp_supersecretvalue"},"tty_token":"0123456789abcdef0123",` +
		`"sandbox_files":[{"content":"` + strings.Repeat("QUFB", 40) + `"}]}`
	out := string(MaskJSON([]byte(body)))
	for _, leaked := range []string{"ghp_supersecretvalue", "0123456789abcdef0123", strings.Repeat("QUFB", 40)} {
		if strings.Contains(out, leaked) {
			t.Errorf("MaskJSON leaked %q in %s", leaked, out)
		}
	}
	if !strings.Contains(out, `"GITHUB_TOKEN"`) || !strings.Contains(out, `"name":"a"`) {
		t.Errorf("MaskJSON lost structure: %s", out)
	}
}

func TestMaskJSONNonJSON(t *testing.T) {
	long := strings.Repeat("x", 600)
	if got := MaskJSON([]byte(long)); len(got) >= 600 {
		t.Errorf("non-JSON body not cut: %d bytes", len(got))
	}
	if got := string(MaskJSON([]byte("plain"))); got != "plain" {
		t.Errorf("short non-JSON body changed: %q", got)
	}
}

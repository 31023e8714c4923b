package secret

import (
	"strings"
	"testing"
)

func TestMaskURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://ghp_secret@github.com/org/repo.git":       "https://****@github.com/org/repo.git",
		"https://user:pass@github.com/org/repo.git":        "https://****@github.com/org/repo.git",
		"https://github.com/org/repo.git":                  "https://github.com/org/repo.git",
		"git@github.com:org/repo.git":                      "git@github.com:org/repo.git",
		"clone of https://u:p@h/x failed; see http://a@b/": "clone of https://****@h/x failed; see http://****@b/",
		"ssh://git:tok@host:22/r":                          "ssh://****@host:22/r",
		"https://h/path@v1":                                "https://h/path@v1",
	} {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := StripURLCredentials("https://u:TOKEN@h/r"); got != "https://h/r" {
		t.Errorf("StripURLCredentials = %q", got)
	}
	masked := string(MaskJSON([]byte(`{"repo_url":"https://x:TOKEN123@h/r","environment":{"repository":"https://TOKEN123@h/r"}}`)))
	if strings.Contains(masked, "TOKEN123") {
		t.Errorf("MaskJSON leaks a URL credential: %s", masked)
	}
	if Redact("sk-anything-long") != "****" || Redact("") != "" {
		t.Error("Redact must hide a key completely")
	}
}

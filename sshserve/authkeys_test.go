package sshserve

import (
	"strings"
	"testing"

	"lapctl/internal/sshtest"
)

func TestParseAuthorizedKeys(t *testing.T) {
	a, b, c := sshtest.NewKey(t), sshtest.NewKey(t), sshtest.NewKey(t)
	data := strings.Join([]string{
		"# team keys",
		"",
		owned(a, "alice"),
		b.Line + " operator@bastion",
		`no-port-forwarding,environment="TZ=UTC",environment="LAPCTL_OWNER=team \"x\"" ` + c.Line,
		`environment="LAPCTL_OWNER=" ` + sshtest.NewKey(t).Line,
		`environment="LAPCTL_OWNER= bob" ` + sshtest.NewKey(t).Line,
		`environment="LAPCTL_OWNER=bob",environment="LAPCTL_OWNER=eve" ` + sshtest.NewKey(t).Line,
		`cert-authority ` + sshtest.NewKey(t).Line,
		"ssh-ed25519 not-base64",
		`from="10.0.0.0/8" ` + sshtest.NewKey(t).Line,
		`command="uptime" ` + sshtest.NewKey(t).Line,
		`restrict,environment="LAPCTL_OWNER=carol" ` + sshtest.NewKey(t).Line,
	}, "\n")
	keys, problems := parseAuthorizedKeys([]byte(data))

	owners := map[string]string{}
	for _, k := range keys {
		owners[string(k.key.Marshal())] = k.owner
	}
	want := map[string]string{
		string(a.Signer.PublicKey().Marshal()): "alice",
		string(b.Signer.PublicKey().Marshal()): "",
		string(c.Signer.PublicKey().Marshal()): `team "x"`,
	}
	if len(owners) != len(want) {
		t.Fatalf("got %d keys, want %d (problems: %q)", len(owners), len(want), problems)
	}
	for k, o := range want {
		if got, ok := owners[k]; !ok || got != o {
			t.Errorf("owner = %q (present %v), want %q", got, ok, o)
		}
	}
	// Every broken line is reported with its number, and none of them
	// falls back to the operator's (unmapped) access.
	for _, n := range []string{"line 6:", "line 7:", "line 8:", "line 9:", "line 10:", "line 11:", "line 12:", "line 13:"} {
		if !strings.Contains(strings.Join(problems, "\n"), n) {
			t.Errorf("problems %q do not mention %s", problems, n)
		}
	}
}

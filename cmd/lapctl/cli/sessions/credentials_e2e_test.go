package sessions_test

import (
	"strings"
	"testing"
)

// A session's repository credential is shown masked by create and get.
func TestSessionRepositoryCredentialsMasked(t *testing.T) {
	const token = "ghp_SESSIONtok55"
	e, _, _ := newEnv(t)
	created := e.Run("sessions", "create", "--agent", "api-agent", "--repository", "https://bob:"+token+"@git.invalid/o/r.git")
	if created.Code != 0 {
		t.Fatalf("create: exit %d: %s", created.Code, created.Err)
	}
	id := ""
	for _, f := range strings.Fields(created.Out + " " + created.Err) {
		if strings.HasPrefix(f, "ses_") {
			id = strings.Trim(f, ".,:()")
			break
		}
	}
	if id == "" {
		t.Fatalf("no session id in %q", created.Out)
	}
	createdJSON := e.Run("sessions", "create", "--agent", "api-agent", "--repository", "https://bob:"+token+"@git.invalid/o/r.git", "--json")
	shown := map[string]string{"create": created.Out + created.Err, "create --json": createdJSON.Out + createdJSON.Err}
	for _, args := range [][]string{{"sessions", "get", id}, {"sessions", "get", id, "--json"}, {"sessions", "list", "--json"}} {
		r := e.Run(args...)
		shown[strings.Join(args, " ")] = r.Out + r.Err
	}
	for view, out := range shown {
		if strings.Contains(out, token) {
			t.Errorf("%s shows the repository token:\n%s", view, out)
		}
	}
	if !strings.Contains(shown["sessions get "+id], "https://****@git.invalid/o/r.git") {
		t.Errorf("get lacks the masked repository:\n%s", shown["sessions get "+id])
	}
}

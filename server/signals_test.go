package server_test

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"lapctl/server"
	"lapctl/server/servertest"
)

// nohupHelper names the mode a re-run of this test binary under nohup
// runs in: "sandbox" or "none".
const nohupHelper = "LAPCTL_TEST_NOHUP_HELPER"

// `nohup lapctl serve` starts the server with SIGHUP ignored. Its
// sessions must still start with SIGHUP's default: a stop must not wait
// out the grace period for SIGTERM, and a command in a session must hear
// a hangup.
func TestSessionsOfAServerUnderNohupHearHangups(t *testing.T) {
	if mode := os.Getenv(nohupHelper); mode != "" {
		nohupHelperRun(t, mode)
		return
	}
	t.Parallel()
	nohup, err := exec.LookPath("nohup")
	if err != nil {
		t.Skip("no nohup to start the server under")
	}
	for _, mode := range []string{"sandbox", "none"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(nohup, os.Args[0], "-test.run=^TestSessionsOfAServerUnderNohupHearHangups$", "-test.v")
			cmd.Env = append(os.Environ(), nohupHelper+"="+mode)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the helper under nohup failed: %v\n%s", err, out)
			}
			if !regexp.MustCompile(`IGNORED_AT_START=true`).Match(out) {
				t.Fatalf("nohup did not start the helper with SIGHUP ignored, so this proves nothing:\n%s", out)
			}
			m := regexp.MustCompile(`IGN=([0-9a-f]{16});END`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("no signal mask from the session's command:\n%s", out)
			}
			mask, _ := strconv.ParseUint(string(m[1]), 16, 64)
			if mask&(1<<(syscall.SIGHUP-1)) != 0 {
				t.Errorf("a command in the session ignores SIGHUP (SigIgn %s): it would never hear its terminal hang up", m[1])
			}
			s := regexp.MustCompile(`STOP_MS=(\d+)`).FindSubmatch(out)
			if s == nil {
				t.Fatalf("no stop time:\n%s", out)
			}
			if ms, _ := strconv.Atoi(string(s[1])); ms >= 1000 {
				t.Errorf("stopping a session took %d ms: its process ignored the SIGHUP and waited for SIGTERM", ms)
			}
		})
	}
}

func nohupHelperRun(t *testing.T, mode string) {
	fmt.Printf("IGNORED_AT_START=%v\n", signal.Ignored(syscall.SIGHUP))
	var opts []servertest.Option
	if mode == "none" {
		opts = append(opts, servertest.WithOptions(func(o *server.Options) { o.NoSandbox = true }))
	}
	inst, c := shellServer(t, opts...)
	s := shellSession(t, c)
	conn := attach(t, inst, s)
	defer conn.Close()
	// The quotes split the markers, so only the output (not the echoed
	// command line) holds them whole.
	typeInto(t, conn, `printf 'IG''N=%s;E''ND\n' "$(grep SigIgn /proc/self/status | cut -f2)"`+"\r")
	if m := regexp.MustCompile(`IGN=[0-9a-f]{16};END`).FindString(readUntil(t, conn, ";END")); m != "" {
		fmt.Println(m)
	}
	t0 := time.Now()
	c.call("DELETE", "/session/"+s.ID, nil, http.StatusOK, nil)
	fmt.Printf("STOP_MS=%d\n", time.Since(t0).Milliseconds())
}

package server_test

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"lapctl/server"
	"lapctl/server/servertest"
	"lapctl/spec"
)

// shellServer runs claude-code sessions as a plain /bin/sh.
func shellServer(t *testing.T, opts ...servertest.Option) (*servertest.Instance, *apiClient) {
	t.Helper()
	inst := servertest.Start(t, append([]servertest.Option{servertest.WithHarnessCmd("claude-code", "/bin/sh")}, opts...)...)
	return inst, newClient(t, inst)
}

// shellSession starts a TUI session and waits until its process runs.
func shellSession(t *testing.T, c *apiClient) spec.Session {
	t.Helper()
	a := c.activeAgent(spec.AgentSpec{Name: "shell", Harness: "claude-code"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	if s.Kind != spec.KindTUI || s.TTYURL != "/session/"+s.ID+"/tty" || len(s.TTYToken) != 64 {
		t.Fatalf("TUI session: %+v", s)
	}
	return c.waitStatus(s.ID, spec.SessionRunning)
}

func wsURL(inst *servertest.Instance, s spec.Session, token string) string {
	u := "ws" + strings.TrimPrefix(inst.URL, "http") + s.TTYURL
	if token != "" {
		u += "?token=" + token
	}
	return u
}

// attach dials a session's terminal the way the contract says: token as
// header and query parameter.
func attach(t *testing.T, inst *servertest.Instance, s spec.Session) *websocket.Conn {
	t.Helper()
	return attachWith(t, websocket.DefaultDialer, inst, s)
}

// smallBufferDialer attaches with a tiny socket receive buffer, so a
// client that stops reading backs up on the server after a few KiB
// rather than after the megabytes loopback buffers would hold.
var smallBufferDialer = &websocket.Dialer{NetDialContext: (&net.Dialer{
	Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return err
	},
}).DialContext}

func attachWith(t *testing.T, d *websocket.Dialer, inst *servertest.Instance, s spec.Session) *websocket.Conn {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + s.TTYToken}}
	conn, resp, err := d.Dial(wsURL(inst, s, s.TTYToken), h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("attach: %v (status %d)", err, status)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// dialStatus tries to attach and returns the refusal's status and body.
func dialStatus(t *testing.T, url string, h http.Header) (int, []byte) {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(url, h)
	if err == nil {
		conn.Close()
		t.Fatalf("attach to %s succeeded; want a refusal", url)
	}
	if resp == nil {
		t.Fatalf("attach: %v", err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	return resp.StatusCode, body.Bytes()
}

func typeInto(t *testing.T, conn *websocket.Conn, text string) {
	t.Helper()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(text)); err != nil {
		t.Fatalf("typing: %v", err)
	}
}

// readUntil reads output frames until the accumulated output contains
// want, and returns it. Only the newest bytes are searched each time, so
// a flood of output costs linear time.
func readUntil(t *testing.T, conn *websocket.Conn, want string) string {
	t.Helper()
	var out []byte
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for %q: %v; output so far: %q", want, err, tail(string(out)))
		}
		out = append(out, data...)
		if bytes.Contains(out[max(0, len(out)-len(data)-len(want)):], []byte(want)) {
			return string(out)
		}
	}
}

func tail(s string) string {
	if len(s) > 300 {
		return "…" + s[len(s)-300:]
	}
	return s
}

func TestTTYEchoAndResize(t *testing.T) {
	inst, c := shellServer(t)
	s := shellSession(t, c)
	conn := attach(t, inst, s)

	typeInto(t, conn, "echo $((6*7))\r")
	readUntil(t, conn, "42")

	typeInto(t, conn, `{"type":"resize","cols":123,"rows":45}`)
	typeInto(t, conn, "stty size\r")
	readUntil(t, conn, "45 123")

	// Invalid resizes and pings are neither applied nor typed.
	for _, frame := range []string{
		`{"type":"resize","cols":0,"rows":10}`, `{"type":"resize","cols":1001,"rows":10}`,
		`{"type":"resize","cols":"80","rows":24}`, `{"type":"resize","cols":80.5,"rows":24}`,
		`{"type":"resize","cols":80}`, `{"type":"ping"}`,
	} {
		typeInto(t, conn, frame)
	}
	typeInto(t, conn, "stty size; echo marker-$((2+3))\r")
	out := readUntil(t, conn, "marker-5")
	if !strings.Contains(out, "45 123") || strings.Contains(out, `"type"`) {
		t.Fatalf("control frames leaked into the terminal or changed its size: %q", tail(out))
	}

	// Binary frames are keystrokes too.
	if err := conn.WriteMessage(websocket.BinaryMessage, []byte("echo bin-$((1+1))\r")); err != nil {
		t.Fatal(err)
	}
	readUntil(t, conn, "bin-2")
}

func TestTTYReplayOnReattach(t *testing.T) {
	inst, c := shellServer(t)
	s := shellSession(t, c)
	first := attach(t, inst, s)
	typeInto(t, first, "echo replay-$((40+2))\r")
	readUntil(t, first, "replay-42")
	first.Close()

	second := attach(t, inst, s)
	readUntil(t, second, "replay-42") // replayed, nothing typed
	if st := c.session(s.ID); st.Status != spec.SessionRunning {
		t.Fatalf("detaching must not end the process: %s", st.Status)
	}
}

func TestTTYTwoClientsSeeTheSameOutput(t *testing.T) {
	inst, c := shellServer(t)
	s := shellSession(t, c)
	a, b := attach(t, inst, s), attach(t, inst, s)
	typeInto(t, a, "echo both-$((20+22))\r")
	readUntil(t, a, "both-42")
	readUntil(t, b, "both-42")
	typeInto(t, b, "echo from-b-$((1+1))\r")
	readUntil(t, a, "from-b-2")
}

// TestTTYStalledClientDoesNotStallOthers floods the terminal while one
// client reads nothing: the reading client still gets everything at once.
// The lag limit leaves the reading client megabytes of slack, so a test
// machine under load does not make it look stalled too.
func TestTTYStalledClientDoesNotStallOthers(t *testing.T) {
	t.Cleanup(server.SetClientLagBytes(4 << 20))
	inst, c := shellServer(t)
	s := shellSession(t, c)
	stalled := attachWith(t, smallBufferDialer, inst, s)
	reader := attach(t, inst, s)
	start := time.Now()
	// Well past what a client may lag behind plus what sockets hold.
	typeInto(t, reader, "head -c 12000000 /dev/zero | tr '\\0' x; echo; echo flood-$((3*3))\r")
	readUntil(t, reader, "flood-9")
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("the reading client waited %v", d)
	}
	// The stalled client was dropped: its stream ends (after what its
	// socket still held) with 1013 or a cut connection, not a timeout.
	_ = stalled.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, _, err := stalled.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		var ne net.Error
		switch {
		case errors.As(err, &ce):
			if ce.Code != websocket.CloseTryAgainLater && ce.Code != websocket.CloseAbnormalClosure {
				t.Fatalf("stalled client closed with %v, want 1013 or a cut connection", ce)
			}
		case errors.As(err, &ne) && ne.Timeout():
			t.Fatalf("the stalled client was never dropped: %v", err)
		}
		break
	}
	if st := c.session(s.ID); st.Status != spec.SessionRunning {
		t.Fatalf("the session must outlive a dropped client: %s", st.Status)
	}
	typeInto(t, reader, "echo after-$((1+1))\r")
	readUntil(t, reader, "after-2")
}

func TestTTYExitClosesWithReason(t *testing.T) {
	inst, c := shellServer(t)
	s := shellSession(t, c)
	conn := attach(t, inst, s)
	typeInto(t, conn, "exit 3\r")
	var notice string
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		mt, data, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure || ce.Text != "process exited (code=3)" {
				t.Fatalf("close: %v, want 1000 process exited (code=3)", err)
			}
			break
		}
		if mt == websocket.TextMessage {
			notice = string(data)
		}
	}
	if !strings.Contains(notice, "process exited (code=3)") {
		t.Errorf("no text notice before the close: %q", notice)
	}
	st := c.waitStatus(s.ID, spec.SessionExited)
	if st.ExitCode == nil || *st.ExitCode != 3 || st.Phase != spec.PhaseExited {
		t.Fatalf("exited session: %+v", st)
	}
	status, body := dialStatus(t, wsURL(inst, s, s.TTYToken), nil)
	if status != http.StatusConflict || decodeError(t, body).Type != spec.ErrConflict {
		t.Fatalf("attach to an exited session: %d %s", status, body)
	}
}

func TestTTYRefusals(t *testing.T) {
	inst, c := shellServer(t, servertest.WithHarnessCmd("opencode", "cat"))
	s := shellSession(t, c)

	for name, tc := range map[string]struct {
		url    string
		header http.Header
	}{
		"no token":           {wsURL(inst, s, ""), nil},
		"wrong query token":  {wsURL(inst, s, "nope"), nil},
		"wrong header token": {wsURL(inst, s, ""), http.Header{"Authorization": {"Bearer nope"}}},
		"master key":         {wsURL(inst, s, ""), http.Header{"Authorization": {"Bearer " + inst.Key}}},
	} {
		status, body := dialStatus(t, tc.url, tc.header)
		if status != http.StatusUnauthorized || decodeError(t, body).Type != spec.ErrUnauthorized {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	// The header alone is enough (and so is the query alone, used above).
	conn, _, err := websocket.DefaultDialer.Dial(wsURL(inst, s, ""), http.Header{"Authorization": {"Bearer " + s.TTYToken}})
	if err != nil {
		t.Fatalf("header-only token: %v", err)
	}
	conn.Close()

	status, body := dialStatus(t, wsURL(inst, s, s.TTYToken), http.Header{"Origin": {"https://evil.example"}})
	if status != http.StatusForbidden {
		t.Errorf("cross-site origin: %d %s", status, body)
	}
	same := attachWithOrigin(t, inst, s, inst.URL)
	same.Close()

	unknown := s
	unknown.TTYURL = "/session/ses_unknown/tty"
	if status, _ := dialStatus(t, wsURL(inst, unknown, s.TTYToken), nil); status != http.StatusNotFound {
		t.Errorf("unknown session: %d", status)
	}
	api := c.activeAgent(spec.AgentSpec{Name: "api"})
	as := c.startSession(spec.SessionSpec{AgentID: api.ID})
	apiTTY := as
	apiTTY.TTYURL = "/session/" + as.ID + "/tty"
	if status, _ := dialStatus(t, wsURL(inst, apiTTY, "x"), nil); status != http.StatusConflict {
		t.Errorf("API session terminal: %d", status)
	}

	// None of that touched the process.
	live := attach(t, inst, s)
	typeInto(t, live, "echo still-$((5*5))\r")
	readUntil(t, live, "still-25")
	if st := c.session(s.ID); st.Status != spec.SessionRunning {
		t.Fatalf("refusals touched the session: %s", st.Status)
	}
}

func attachWithOrigin(t *testing.T, inst *servertest.Instance, s spec.Session, origin string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(inst, s, s.TTYToken), http.Header{"Origin": {origin}})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("same-origin attach: %v (%d)", err, status)
	}
	return conn
}

func TestTTYShellFallbackIsAnnounced(t *testing.T) {
	if _, err := exec.LookPath("codex"); err == nil {
		t.Skip("codex is on PATH here, so sessions run it rather than the shell fallback")
	}
	inst := servertest.Start(t)
	c := newClient(t, inst)
	a := c.activeAgent(spec.AgentSpec{Name: "codex", Harness: "codex"})
	s := c.startSession(spec.SessionSpec{AgentID: a.ID})
	s = c.waitStatus(s.ID, spec.SessionRunning)
	body := mustGet(t, c, "/session/"+s.ID)
	notice := string(jsonField(t, body, "notice"))
	if s.Phase != spec.PhaseReady || !strings.Contains(notice, "codex not found on PATH") || !strings.Contains(notice, "--harness-cmd codex=") {
		t.Fatalf("phase %q notice %s", s.Phase, notice)
	}
	conn := attach(t, inst, s)
	readUntil(t, conn, "lapctl: codex not found on PATH; running ")
}

func TestTTYShutdownEndsTheProcess(t *testing.T) {
	inst, c := shellServer(t, noSandbox, servertest.WithHarnessCmd("claude-code", `echo $$ > "$HOME/pid"; exec sleep 300`))
	s := shellSession(t, c)
	pid := readPID(t, filepath.Join(inst.DataDir, "sessions", s.ID, "home", "pid"))
	conn := attach(t, inst, s)
	closed := make(chan error, 1)
	go func() {
		_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				closed <- err
				return
			}
		}
	}()

	start := time.Now()
	inst.Close()
	waitGone(t, pid)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	var ce *websocket.CloseError
	if err := <-closed; !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure || !strings.HasPrefix(ce.Text, "process exited") {
		t.Errorf("attached client: %v, want close 1000 process exited", err)
	}
	again := servertest.Start(t, servertest.WithDataDir(inst.DataDir))
	st := newClient(t, again).session(s.ID)
	if st.Status != spec.SessionExited || st.ExitCode == nil || !strings.Contains(st.FailureReason, "server shut down") {
		t.Fatalf("after shutdown: %+v", st)
	}
}

func mustGet(t *testing.T, c *apiClient, path string) []byte {
	t.Helper()
	status, body := c.raw("GET", path, nil, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	return body
}

// A burst of output crosses in few, large frames: the writer lets it
// gather for server.BurstGather instead of sending each PTY read (a few
// KiB) on its own. Every frame of a burst follows such a pause, so the
// large frames can be no more than the time taken allows; a loaded
// machine only makes the burst take longer. Without the pause they come
// back to back, tens to hundreds of them within that time.
func TestTTYBurstCoalesces(t *testing.T) {
	inst, c := shellServer(t)
	s := shellSession(t, c)
	conn := attach(t, inst, s)
	typeInto(t, conn, "echo ready-$((1+1))\r")
	readUntil(t, conn, "ready-2")
	readsBefore := server.PTYReads(inst.Server, s.ID)
	start := time.Now()
	typeInto(t, conn, "head -c 4000000 /dev/zero | tr '\\0' y; echo; echo done-$((2+2))\r")
	frames, large, bytesIn := 0, 0, 0
	var tail []byte
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for !bytes.Contains(tail, []byte("done-4")) {
		_, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("reading the burst: %v", err)
		}
		frames++
		if len(data) >= server.BurstBytes {
			large++
		}
		bytesIn += len(data)
		tail = append(tail[max(0, len(tail)-16):], data...)
	}
	elapsed := time.Since(start)
	reads := server.PTYReads(inst.Server, s.ID) - readsBefore
	if bytesIn < 4000000 || reads < 100 {
		t.Fatalf("%d bytes in %d PTY reads: want 4 MB, in small reads (a PTY gives a few KiB a read)", bytesIn, reads)
	}
	if allowed := int(elapsed/server.BurstGather) + 2; large > allowed {
		t.Errorf("%d large frames in %s: more than one per %s pause (%d allowed); the burst was not gathered",
			large, elapsed.Round(time.Millisecond), server.BurstGather, allowed)
	}
	t.Logf("%d bytes: %d PTY reads in %d frames (%d large) in %s", bytesIn, reads, frames, large, elapsed.Round(time.Millisecond))
}

// Small outputs go straight to an idle client's socket (ttydirect.go);
// once that socket is full they queue, and a frame sent only in part is
// finished first. A client that stops reading and then catches up must
// see every line once, in order.
func TestTTYSmallOutputsStayInOrderThroughAFullSocket(t *testing.T) {
	inst, c := shellServer(t)
	s := shellSession(t, c)
	slow := attachWith(t, smallBufferDialer, inst, s)
	const lines = 20000
	typeInto(t, slow, "i=0; while [ $i -lt "+strconv.Itoa(lines)+" ]; do echo L$i.; i=$((i+1)); done; echo done-$((2*4))\r")
	time.Sleep(time.Second) // not reading: the socket fills up
	out := readUntil(t, slow, "done-8")
	next := 0
	for _, m := range regexp.MustCompile(`L(\d+)\.\r`).FindAllStringSubmatch(out, -1) {
		if n, _ := strconv.Atoi(m[1]); n != next {
			t.Fatalf("line %d came where line %d was due", n, next)
		}
		next++
	}
	if next != lines {
		t.Fatalf("saw %d lines in order, want %d", next, lines)
	}
}

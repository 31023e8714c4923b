package harnessfake

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"github.com/gorilla/websocket"
)

// The bridge's PTY size before the client's first resize (server.js).
const (
	spawnCols = 100
	spawnRows = 30
)

// closeWait bounds how long the bridge waits for the client's answer to
// its close frame.
const closeWait = 2 * time.Second

// bridge is one connection and the process it spawned.
type bridge struct {
	h    *Harness
	ws   *websocket.Conn
	ptmx *os.File
	cmd  *exec.Cmd

	writeMu    sync.Mutex
	clientGone atomic.Bool // the socket closed first: no exit notice
}

// argv is what one connection spawns.
func (h *Harness) argv() []string {
	if h.opts.Direct {
		return h.opts.Command
	}
	return append([]string{h.tmux, "-L", h.socket, "-f", os.DevNull, "new-session", "-A", "-s", SessionName}, h.opts.Command...)
}

func (h *Harness) runBridge(ws *websocket.Conn) {
	argv := h.argv()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = h.env(), h.opts.Dir
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: spawnCols, Rows: spawnRows})
	if err != nil {
		_ = ws.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf("\r\n\x1b[31m[bridge] failed to spawn %s: %s\x1b[0m\r\n", argv[0], err)))
		closeNoStatus(ws)
		ws.Close()
		return
	}
	h.spawns.Add(1)
	b := &bridge{h: h, ws: ws, ptmx: ptmx, cmd: cmd}
	if !h.track(b) {
		_ = cmd.Process.Signal(syscall.SIGHUP)
		ptmx.Close()
		_ = cmd.Wait()
		ws.Close()
		return
	}
	defer h.untrack(b)
	inputDone := make(chan struct{})
	go func() {
		defer close(inputDone)
		b.input()
	}()
	b.output()
	code, sig := exitStatus(cmd.Wait())
	ptmx.Close()
	if !b.clientGone.Load() {
		// The notice, then a close frame with no status code: the
		// client sees 1005.
		b.send(fmt.Sprintf("\r\n\x1b[2m[bridge] process exited (code=%d, signal=%d)\x1b[0m\r\n", code, sig))
		closeNoStatus(ws)
		select {
		case <-inputDone:
		case <-time.After(closeWait):
		}
	}
	ws.Close()
	<-inputDone
}

// exitStatus is what node-pty reports: the exit code, and the signal
// number (0 when none) for a process killed by one.
func exitStatus(err error) (code, sig int) {
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return 0, 0
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok {
		return ee.ExitCode(), 0
	}
	if ws.Signaled() {
		return 0, int(ws.Signal())
	}
	return ws.ExitStatus(), 0
}

func closeNoStatus(ws *websocket.Conn) {
	_ = ws.WriteControl(websocket.CloseMessage, nil, time.Now().Add(closeWait))
}

// output copies the PTY to text frames until the process's side closes,
// holding back a character split across reads for the next frame.
func (b *bridge) output() {
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := b.ptmx.Read(buf)
		if n > 0 {
			chunk := append(carry, buf[:n]...)
			var text string
			text, carry = decodeUTF8(chunk)
			if text != "" && !b.clientGone.Load() {
				b.send(text)
			}
		}
		if err != nil {
			if len(carry) > 0 && !b.clientGone.Load() {
				b.send(string(utf8.RuneError))
			}
			return
		}
	}
}

// send writes one text frame; a failed write is a gone client.
func (b *bridge) send(text string) {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	_ = b.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := b.ws.WriteMessage(websocket.TextMessage, []byte(text)); err != nil {
		b.clientGone.Store(true)
	}
}

// decodeUTF8 turns p into valid text, as Node's StringDecoder does: each
// invalid byte becomes U+FFFD, and an incomplete character at the end is
// returned as rest, to lead the next chunk.
func decodeUTF8(p []byte) (text string, rest []byte) {
	end := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				end = i
			}
			break
		}
	}
	body := p[:end]
	if len(p) > end {
		rest = append([]byte(nil), p[end:]...)
	}
	if utf8.Valid(body) {
		return string(body), rest
	}
	out := make([]rune, 0, len(body))
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		out = append(out, r) // RuneError for an invalid byte, size 1
		body = body[size:]
	}
	return string(out), rest
}

// input turns the client's frames into keystrokes and resizes. When the
// socket closes, the process is sent SIGHUP (node-pty's kill()): a tmux
// client detaches and the session lives; in Direct mode the command ends.
func (b *bridge) input() {
	defer func() {
		b.clientGone.Store(true)
		if b.cmd.Process != nil {
			_ = b.cmd.Process.Signal(syscall.SIGHUP)
			// A command that ignores SIGHUP must not hold Close up.
			p := b.cmd.Process
			time.AfterFunc(closeWait, func() { _ = p.Kill() })
		}
	}()
	for {
		mt, p, err := b.ws.ReadMessage()
		if err != nil {
			return
		}
		if mt == websocket.TextMessage && !utf8.Valid(p) {
			// ws fails the connection on invalid UTF-8 in a text frame.
			b.writeMu.Lock()
			_ = b.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, "Invalid UTF-8 sequence"), time.Now().Add(closeWait))
			b.writeMu.Unlock()
			return
		}
		if mt == websocket.TextMessage && b.control(p) {
			continue
		}
		if _, err := b.ptmx.Write(p); err != nil {
			return
		}
	}
}

// control applies a resize or swallows a ping. Anything else, malformed
// JSON and bad resizes included, is keystrokes.
func (b *bridge) control(p []byte) bool {
	if len(p) == 0 || p[0] != '{' {
		return false
	}
	var msg map[string]any
	if json.Unmarshal(p, &msg) != nil {
		return false
	}
	switch msg["type"] {
	case "resize":
		cols, ok1 := dimension(msg["cols"])
		rows, ok2 := dimension(msg["rows"])
		if !ok1 || !ok2 {
			return false
		}
		_ = pty.Setsize(b.ptmx, &pty.Winsize{Cols: cols, Rows: rows})
		return true
	case "ping":
		return true
	}
	return false
}

// dimension accepts a finite number, truncating fractions as node-pty's
// native resize does. node-pty throws on a size below 1, which would kill
// the real bridge; the fake types such a frame into the shell instead.
func dimension(v any) (uint16, bool) {
	f, ok := v.(float64)
	if !ok || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	f = math.Trunc(f)
	if f < 1 || f > math.MaxUint16 {
		return 0, false
	}
	return uint16(f), true
}

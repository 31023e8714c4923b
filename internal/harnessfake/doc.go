// Package harnessfake is the platform's TUI harness bridge
// (harnesses/claude-code/server.js and harnesses/codex/server.js of
// LiteLLM-Labs/litellm-agent-platform), rebuilt in Go for tests: the real
// thing is a Node program inside a sandbox pod, which cannot run here.
//
// It speaks what the bridge speaks, not lapctl's contract: GET /tty
// upgrades with the token in ?token= or Authorization: Bearer (the header
// wins), a bad token is a 401 text/html "unauthorized" before anything is
// spawned, an upgrade on another path is a 400, /healthz needs no token.
// Each connection runs `tmux new-session -A -s lap <command>` in a real
// PTY (a tmux server of its own per Harness, so tests are isolated): the
// stream is tmux's rendering, closing the socket detaches, and the next
// connection re-attaches to the same screen. Output goes as text frames
// only, never split inside a UTF-8 character. When the process exits the
// bridge sends "[bridge] process exited (code=N, signal=S)" and closes
// with no status code (the client sees 1005). Options.Direct runs the
// command itself instead, as the platform's earlier bridge did.
//
// Only tests import it. It imports the standard library, gorilla/websocket
// and creack/pty; never lapctl's packages, so it cannot drift toward our
// own contract.
package harnessfake

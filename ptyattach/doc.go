// Package ptyattach connects a terminal to a session's WebSocket PTY
// (../shared/API.md, "The WebSocket PTY") with the feel of ssh: raw mode
// restored exactly once on every exit path, a detach sequence caught by an
// escape proxy (never Ctrl-D, which the remote program needs as EOF),
// window sizes forwarded, keepalive pings, and bounded reconnects that let
// the server's replay rebuild the screen.
//
// It also speaks the platform's own harness bridge (its tmux rendering in
// text frames): the "[bridge] process exited (code=N" notice before a
// close with no status is the process's exit, never a drop to reconnect.
// A drop is reconnected only while the API (when there is one) says the
// session is alive; a session that ended with no exit code is an
// *EndedError, a starting one is waited for at most StartTimeout, and a
// session the server says has no terminal is a *NoTTYError.
//
// Attach runs it in the foreground of a command; the console runs it inside
// its Bubble Tea program through tea.Exec (tui.AttachCommand), handing the
// terminal back intact.
//
// ptyattach must not import any UI library (bubbletea, bubbles, lipgloss,
// huh, wish) nor tui, forms, sshserve, cmd/ or server/: it is a terminal
// bridge that commands, the console and the SSH server all build on.
package ptyattach

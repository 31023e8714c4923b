// Package ptyattach connects a terminal to a session's WebSocket PTY
// (../shared/API.md, "The WebSocket PTY") with the feel of ssh: raw mode
// restored exactly once on every exit path, a detach sequence caught by an
// escape proxy (never Ctrl-D, which the remote program needs as EOF),
// window sizes forwarded, keepalive pings, and bounded reconnects that let
// the server's replay rebuild the screen.
//
// Attach runs it in the foreground of a command; ExecCommand runs it inside
// a Bubble Tea program through tea.Exec, handing the terminal back intact.
package ptyattach

// Package ptyattach connects a terminal to a session's WebSocket PTY
// (../shared/API.md, "The WebSocket PTY") with the feel of ssh: raw mode
// restored exactly once on every exit path, a detach sequence caught by an
// escape proxy (never Ctrl-D, which the remote program needs as EOF),
// window sizes forwarded, keepalive pings, and bounded reconnects that let
// the server's replay rebuild the screen.
//
// Attach runs it in the foreground of a command; the console runs it inside
// its Bubble Tea program through tea.Exec (tui.AttachCommand), handing the
// terminal back intact.
//
// ptyattach must not import any UI library (bubbletea, bubbles, lipgloss,
// huh, wish) nor tui, forms, sshserve, cmd/ or server/: it is a terminal
// bridge that commands, the console and the SSH server all build on.
package ptyattach

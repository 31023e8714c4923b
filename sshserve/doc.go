// Package sshserve serves the lapctl console and command line over SSH
// (charm.land/wish/v2), so a team can run one console on a bastion and
// reach it with plain ssh.
//
// A connection authenticates with a public key listed in an
// authorized_keys file; the key's LAPCTL_OWNER option is the platform owner
// the session acts as (see docs/ssh.md). With a PTY and no command the
// session gets the full-screen console, built per session by
// Options.NewConsole; otherwise the command runs in a fresh cobra tree from
// Options.NewCommand on the session's streams. The package must not import
// cmd/, tui, forms or server/: the command tree and the console are
// injected.
package sshserve

// Package server is the embedded LiteLLM Agent Platform behind `lapctl
// serve`: every endpoint of the API contract (../shared/API.md) over a
// SQLite store, with a local session runtime that runs TUI harnesses in
// PTYs (attached over a WebSocket) and API harnesses as one command per
// message.
//
// The package never imports the console (tui, forms, cmd, client): the
// command line builds an Options and calls Run, and other packages' tests
// start a real instance with server/servertest.
//
// Choices the contract leaves open, made here:
//   - An agent created (or patched) with an empty harness gets
//     DefaultHarness ("opencode", the platform's first API harness).
//   - A skill with no owner_id is shared: any owner's agents may use it, and
//     owner-filtered skill lists include it. Deleting a skill that agents
//     still use is refused with 409 naming them, so no agent silently loses
//     part of its prompt.
//   - A session's filesystem is its own directory: see sandboxTarget for
//     how sandbox_path maps into it. Start-up clones the repo first (git
//     needs an empty target), then writes the sandbox files over it, then
//     installs requirements (only with Options.InstallRequirements).
//   - A TUI session may be attached while still starting; its terminal
//     shows output once the process runs. When the harness binary is
//     missing and no command is mapped, the operator's shell runs instead
//     and the session's "notice" field (and its first line of output) says
//     so.
//   - A process ended by a signal reports exit_code 128+signal, as shells do.
//   - Errors the contract has no type for: 413 uses "too_large", 405
//     "invalid_request", and a refused cross-site WebSocket upgrade (403)
//     "unauthorized".
package server

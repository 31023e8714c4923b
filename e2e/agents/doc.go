// Package agents holds end-to-end tests that run the real agent programs
// (OpenAI's codex, Anthropic's claude-code, pinned in npm-agents.txt) as
// harnesses of the embedded server, and attach to them with the real
// lapctl binary in a tmux pane: a real terminal that answers the
// programs' queries and shows their screen.
//
// .ci/run installs the programs with npm into
// ${XDG_CACHE_HOME:-~/.cache}/lapctl-agents ($LAPCTL_AGENTS_DIR
// overrides); without them the tests skip, naming the command. Nothing
// here reaches the network: the programs get a proxy on a closed
// loopback port, so they fail their connections at once, as offline.
//
// Only tests live here; it may import anything below cmd/.
package agents

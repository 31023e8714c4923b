// Package forms is the agent builder: a multi-step huh form that walks an
// operator through every field of an agent the server keeps (the
// client's Capabilities: a gateway gets five steps, and one line names
// what it does not store), checks each value with the spec package's
// rules as it is typed, shows the whole agent for review and submits it.
// What came back is compared with what was sent (Result.Losses): a field
// the server dropped is named, never reported as saved.
//
// The command line runs the Builder on its own with Run; the console embeds
// it as a sub-model (Init, Update, View as a string) and listens for
// DoneMsg and CancelMsg. The builder never attaches to a session itself:
// when the operator asks to attach it returns NextAttach with the new
// session, and the caller attaches. It learns the terminal's background
// through the program (tea.BackgroundColorMsg) and makes its requests under
// the caller's context (Options.Context).
//
// forms must not import tui (nor anything under it), ptyattach, sshserve,
// cmd/ or server/: the console and the command line both build on it.
//
// Every step keeps its values in one draft, so going back, a failed submit
// or a server error never loses what was typed; forms are rebuilt from the
// draft each time a step is entered.
package forms

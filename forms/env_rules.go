package forms

import (
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"lapctl/human"
	"lapctl/spec"
)

// The env step's checks, all the spec's rules run on the rows as they are
// or as they would be with the edited row saved, and the .env reader.

func readDotEnv(path string) tea.Cmd {
	return func() tea.Msg {
		msg := envImportedMsg{path: path}
		info, err := os.Stat(path)
		switch {
		case err != nil:
			msg.err = err
			return msg
		case info.IsDir():
			msg.err = errors.New("it is a directory: give the path of a .env file")
			return msg
		case info.Size() > maxTextFile:
			msg.err = fmt.Errorf("it is %s bytes; a .env file must be at most %s bytes (1 MiB)", human.Count(int(info.Size())), human.Count(maxTextFile))
			return msg
		}
		data, err := os.ReadFile(path)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.rows, msg.err = parseDotEnv(string(data))
		return msg
	}
}

// rowProblem is what is wrong with row i on its own: its key's rule, or
// a key used twice.
func rowProblem(rows []envRow, i int) string {
	if err := checkEnvKey(rows[i].Key); err != nil {
		return err.Error()
	}
	for j, r := range rows {
		if j != i && r.Key == rows[i].Key {
			return fmt.Sprintf("%s is set more than once (rows %d and %d): keep one", r.Key, min(i, j)+1, max(i, j)+1)
		}
	}
	return ""
}

// totalProblems are the spec's whole-map rules (count, encoded size).
func totalProblems(rows []envRow) []string {
	var out []string
	for _, fe := range spec.ValidateEnvVars("env_vars", envMap(rows)) {
		if fe.Field == "env_vars" {
			out = append(out, fe.Message)
		}
	}
	return out
}

// problems is every rule the rows break.
func (e *envStep) problems(rows []envRow) []string {
	var out []string
	for i := range rows {
		if p := rowProblem(rows, i); p != "" {
			out = append(out, p)
		}
	}
	return append(out, totalProblems(rows)...)
}

// candidate is the rows as they would be with the edited row saved.
func (e *envStep) candidate() ([]envRow, int) {
	row := envRow{Key: e.keyIn.Value(), Value: e.valIn.Value()}
	rows := append([]envRow(nil), e.rows()...)
	if e.editIdx < 0 {
		return append(rows, row), len(rows)
	}
	rows[e.editIdx] = row
	return rows, e.editIdx
}

// editProblems are the messages for the row being edited: its key (once
// typed, or after a try to save a blank one) and the totals with it.
func (e *envStep) editProblems() []string {
	rows, i := e.candidate()
	var out []string
	if p := rowProblem(rows, i); p != "" && (rows[i].Key != "" || e.tried) {
		out = append(out, p)
	}
	return append(out, totalProblems(rows)...)
}

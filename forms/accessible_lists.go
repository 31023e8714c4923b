package forms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"lapctl/human"
	"lapctl/spec"
)

// The accessible mode's list editors: env vars and sandbox files, one
// line at a time.

// env edits the env vars line by line: KEY=VALUE adds or changes one,
// -KEY removes one, @FILE imports a .env file. Each line is checked by
// the spec rules against the list as it would become.
func (a *accessible) env() error {
	d := a.b.d
	for {
		a.say("Env vars: %s", oneLineTotals(d.Env))
		for i, r := range d.Env {
			line := fmt.Sprintf("  %d. %s = %s", i+1, r.Key, maskedFor(r.Value))
			if p := rowProblem(d.Env, i); p != "" {
				line += " (problem: " + p + ")"
			}
			a.say("%s", line)
		}
		var line string
		in := huh.NewInput().Title("KEY=VALUE to add or change, -KEY to remove, @FILE to import a .env, enter when done:").
			Value(&line).Validate(func(s string) error { return a.envLine(s, false) })
		if err := a.field(in); err != nil {
			return err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if probs := a.problems(); len(probs) > 0 {
				a.say("Fix these first: %s", strings.Join(probs, "; "))
				continue
			}
			return nil
		}
		if err := a.envLine(line, true); err != nil {
			a.say("%v", err)
		}
	}
}

func (a *accessible) problems() []string {
	e := a.b.steps[stepEnv].(*envStep)
	return e.problems(a.b.d.Env)
}

// envLine checks one env line, and with apply carries it out.
func (a *accessible) envLine(s string, apply bool) error {
	d := a.b.d
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil
	case strings.HasPrefix(s, "@"):
		if apply {
			a.b.update(readDotEnv(expandHome(strings.TrimPrefix(s, "@")))())
			if a.b.alert != "" {
				a.say("%s", a.b.alert)
				a.b.alert = ""
			} else {
				a.say("%s", a.b.notice)
			}
		}
		return nil
	case strings.HasPrefix(s, "-"):
		key := strings.TrimPrefix(s, "-")
		for i, r := range d.Env {
			if r.Key == key {
				if apply {
					d.Env = append(d.Env[:i:i], d.Env[i+1:]...)
				}
				return nil
			}
		}
		return fmt.Errorf("no env var named %s", key)
	}
	key, val, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("write KEY=VALUE")
	}
	rows := append([]envRow(nil), d.Env...)
	idx := -1
	for i, r := range rows {
		if r.Key == key {
			idx = i
		}
	}
	if idx < 0 {
		rows, idx = append(rows, envRow{Key: key, Value: val}), len(rows)
	} else {
		rows[idx].Value = val
	}
	if p := rowProblem(rows, idx); p != "" {
		return ruleErr(p)
	}
	if probs := totalProblems(rows); len(probs) > 0 {
		return ruleErr(probs[0])
	}
	if apply {
		d.Env = rows
	}
	return nil
}

func oneLineTotals(rows []envRow) string {
	m := envMap(rows)
	return fmt.Sprintf("%d of %d keys, %s of %s bytes JSON", len(m), spec.MaxEnvVars, human.Count(spec.EnvJSONSize(m)), human.Count(spec.MaxEnvBytes))
}

// maskedFor says a value is set without reading it out.
func maskedFor(v string) string {
	if v == "" {
		return "(empty)"
	}
	return fmt.Sprintf("(hidden, %d characters)", len(v))
}

// files adds and removes sandbox files: a path adds one (size-checked,
// then read), -N removes file N.
func (a *accessible) files() error {
	d := a.b.d
	for {
		used := base64Used(d.Files)
		a.say("Files: %d of %d, %s of %s base64.", len(d.Files), spec.MaxSandboxFiles, human.Bytes(int64(used)), human.Bytes(spec.MaxFilesBase64))
		for i, f := range d.Files {
			a.say("  %d. %s to %s, %s", i+1, f.Name, f.SandboxPath, human.Bytes(f.Size))
		}
		var line string
		if err := a.field(huh.NewInput().Title("Path of a file to add (absolute, ~/…, or from " + a.dir() + "), -N to remove file N, enter when done:").Value(&line)); err != nil {
			return err
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			fs := a.b.steps[stepFiles].(*filesStep)
			fs.changed()
			if probs := fs.problems(); len(probs) > 0 {
				a.say("Fix these first: %s", strings.Join(probs, "; "))
				continue
			}
			return nil
		case strings.HasPrefix(line, "-"):
			n, err := strconv.Atoi(line[1:])
			if err != nil || n < 1 || n > len(d.Files) {
				a.say("No file %s: give -N with N from the list.", line[1:])
				continue
			}
			d.Files = append(d.Files[:n-1:n-1], d.Files[n:]...)
		default:
			home, _ := os.UserHomeDir()
			if err := a.addFile(resolveTyped(line, a.dir(), home)); err != nil {
				return err
			}
		}
	}
}

func (a *accessible) addFile(path string) error {
	d := a.b.d
	st := statFile(path)().(fileStatMsg)
	if st.err != nil {
		a.say("%v", st.err)
		return nil
	}
	if why := admit(d.Files, path, st.size); why != "" {
		a.say("%s", why)
		return nil
	}
	if why := duplicatePath(d.Files, "~/"+filepath.Base(path)); why != "" {
		a.say("%s", why)
		return nil
	}
	a.say("Reading %s (%s)…", path, human.Bytes(st.size))
	ctx, cancel := context.WithCancel(a.b.ctx)
	defer cancel()
	_, wait := startLoad(ctx, 1, path, st.size, spec.MaxFilesBase64-base64Used(d.Files))
	for {
		switch msg := wait().(type) {
		case loadProgressMsg:
			continue
		case loadDoneMsg:
			if msg.err != nil {
				a.say("Could not read %s: %v", path, msg.err)
				return nil
			}
			entry := msg.entry
			if err := a.ask("Sandbox path (starts with / or ~)", &entry.SandboxPath, checkSandboxPath, false); err != nil {
				return err
			}
			d.Files = append(d.Files, entry)
			a.say("Added %s as %s.", entry.Name, entry.SandboxPath)
			return nil
		}
	}
}

// dir is where a relative file path typed is taken from.
func (a *accessible) dir() string { return absStartDir(a.b.opts.StartDir) }

// fileExists is for the save prompt: saying a file will be replaced.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

package forms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/huh/v2"

	"lapctl/iostreams"
)

// errInputEnded stops the accessible builder when its input ends (EOF),
// where huh's prompts would otherwise keep returning their defaults.
var errInputEnded = errors.New("input ended")

// accessible runs the builder as plain line prompts (huh's accessible
// mode) for screen readers: each step asks its questions in order with
// huh fields' RunAccessible, using the same draft, spec checks and
// server calls as the full-screen builder.
type accessible struct {
	b  *Builder
	w  io.Writer
	in *eofReader
}

// eofReader notes when its reader ended.
type eofReader struct {
	r   io.Reader
	eof bool
}

// Read hands out one byte at a time: huh reads each answer with a new
// scanner, and a scanner that read ahead would take the next answers
// with it when input comes from a pipe rather than a line-at-a-time
// terminal.
func (e *eofReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	n, err := e.r.Read(p)
	if errors.Is(err, io.EOF) {
		e.eof = true
	}
	return n, err
}

func runAccessible(ctx context.Context, opts Options, ios *iostreams.IOStreams) (*Result, error) {
	b := NewBuilder(opts)
	b.ctx, b.cancel = context.WithCancel(ctx)
	defer b.cancel()
	a := &accessible{b: b, w: ios.Out, in: &eofReader{r: ios.In}}
	err := a.run()
	res := b.Result()
	switch {
	case err == nil:
		return &res, nil
	case errors.Is(err, errInputEnded), errors.Is(err, ErrCancelled):
		return &res, ErrCancelled
	}
	return &res, err
}

func (a *accessible) say(format string, args ...any) {
	fmt.Fprintf(a.w, format+"\n", args...)
}

// check fails once the input ended or the context was cancelled.
func (a *accessible) check() error {
	if a.in.eof {
		return errInputEnded
	}
	return a.b.ctx.Err()
}

// field runs one huh field in accessible mode with the builder's theme.
func (a *accessible) field(f huh.Field) error {
	f.WithTheme(a.b.theme)
	if err := f.RunAccessible(a.w, a.in); err != nil {
		return err
	}
	return a.check()
}

func (a *accessible) run() error {
	b := a.b
	title := "New agent"
	if b.editing() {
		title = "Edit agent " + b.opts.Edit.ID
	}
	a.load()
	a.say("%s: %d steps, then a review. Press enter to keep the value in brackets; type - to clear an optional one.", title, len(b.shownSteps()))
	if line := b.notStored(); line != "" {
		a.say("%s", line)
	}
	for _, id := range b.shownSteps() {
		if err := a.step(id); err != nil {
			return err
		}
	}
	return a.review()
}

// load runs the builder's server look-ups in turn.
func (a *accessible) load() {
	b := a.b
	if cmd := b.loadPlatform(); cmd != nil {
		b.update(cmd())
	}
	b.update(b.loadHarnesses()())
	b.update(b.loadModels()())
	if owner := strings.TrimSpace(b.d.OwnerID); owner != "" {
		b.update(b.loadSkills(owner)())
	}
}

// ask asks for one line into v. A blank answer keeps the current value
// (huh's prompt does that); "-" clears an optional one. rule, when set,
// is the spec check, re-asked until it passes.
func (a *accessible) ask(title string, v *string, rule func(string) error, optional bool) error {
	cur := *v
	prompt := title
	if cur != "" {
		prompt += " [" + oneLine(cur) + "]"
	}
	in := huh.NewInput().Title(prompt + ":").Value(v).Validate(func(s string) error {
		s = strings.TrimSpace(s)
		switch {
		case s == "" && cur != "":
			return nil
		case s == "-" && optional:
			return nil
		case rule != nil:
			return rule(s)
		}
		return nil
	})
	if err := a.field(in); err != nil {
		return err
	}
	if strings.TrimSpace(*v) == "-" && optional {
		*v = ""
	}
	return nil
}

// oneLine shortens a value to fit a prompt's brackets.
func oneLine(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

package forms

import (
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
)

// styleInput gives a text input the builder's styles, focused or not.
func styleInput(ti *textinput.Model, st styles) {
	s := ti.Styles()
	for _, state := range []*textinput.StyleState{&s.Focused, &s.Blurred} {
		state.Prompt, state.Text, state.Placeholder = st.Key, st.Text, st.Muted
	}
	s.Cursor.Color = st.Key.GetForeground()
	ti.SetStyles(s)
}

// newBar is the file-load progress bar in the palette's primary colour
// for the background; Bubble Tea downsamples it to the terminal's profile.
func (b *Builder) newBar() progress.Model {
	return progress.New(progress.WithColors(b.st.Title.GetForeground()), progress.WithFillCharacters(progress.DefaultFullCharFullBlock, progress.DefaultEmptyCharBlock))
}

// restyler is a step holding styled widgets of its own.
type restyler interface{ restyle() }

// restyle re-applies the styles (after the background became known) to
// the widgets that copied them.
func (b *Builder) restyle() {
	w := b.review.bar.Width()
	b.review.bar = b.newBar()
	b.review.bar.SetWidth(w)
	for _, s := range b.steps {
		if r, ok := s.(restyler); ok {
			r.restyle()
		}
	}
}

func (e *envStep) restyle() {
	for _, ti := range []*textinput.Model{&e.keyIn, &e.valIn, &e.importIn} {
		styleInput(ti, e.b.st)
	}
}

func (f *filesStep) restyle() {
	styleInput(&f.pathIn, f.b.st)
	if f.pick != nil {
		styleInput(&f.pick.in, f.b.st)
	}
	w := f.bar.Width()
	f.bar = f.b.newBar()
	f.bar.SetWidth(w)
}

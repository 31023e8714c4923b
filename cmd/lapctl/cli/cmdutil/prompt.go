package cmdutil

import (
	"context"
	"errors"

	"charm.land/huh/v2"

	"lapctl/iostreams"
)

// Prompter asks the few questions commands need. Commands call it only
// after IOStreams.CanPrompt(); tests inject a fake.
type Prompter interface {
	Confirm(ctx context.Context, title string, def bool) (bool, error)
	Input(ctx context.Context, title, def string, validate func(string) error) (string, error)
	Password(ctx context.Context, title string) (string, error)
}

// Selecter is a Prompter that can offer a list to pick from.
type Selecter interface {
	Select(ctx context.Context, title string, options []string, def string) (string, error)
}

// HuhPrompter asks with huh on the streams it was given, so prompts work
// over SSH as well as locally.
type HuhPrompter struct {
	IO         *iostreams.IOStreams
	Accessible bool
}

// NewHuhPrompter returns a Prompter on ios.
func NewHuhPrompter(ios *iostreams.IOStreams) *HuhPrompter {
	return &HuhPrompter{IO: ios, Accessible: ios.Getenv("ACCESSIBLE") != ""}
}

func (p *HuhPrompter) run(ctx context.Context, field huh.Field) error {
	err := huh.NewForm(huh.NewGroup(field)).
		WithInput(p.IO.In).
		WithOutput(p.IO.Out).
		WithAccessible(p.Accessible).
		WithShowHelp(false).
		RunWithContext(ctx)
	if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, context.Canceled) {
		return ErrCancel
	}
	return err
}

// Confirm asks a yes/no question.
func (p *HuhPrompter) Confirm(ctx context.Context, title string, def bool) (bool, error) {
	v := def
	err := p.run(ctx, huh.NewConfirm().Title(title).Affirmative("Yes").Negative("No").Value(&v))
	return v, err
}

// Input asks for one line of text.
func (p *HuhPrompter) Input(ctx context.Context, title, def string, validate func(string) error) (string, error) {
	v := def
	in := huh.NewInput().Title(title).Value(&v)
	if validate != nil {
		in = in.Validate(validate)
	}
	err := p.run(ctx, in)
	return v, err
}

// Select offers options in a list, def preselected.
func (p *HuhPrompter) Select(ctx context.Context, title string, options []string, def string) (string, error) {
	v := def
	err := p.run(ctx, huh.NewSelect[string]().Title(title).Options(huh.NewOptions(options...)...).Value(&v))
	return v, err
}

// Password asks for a secret without echoing it.
func (p *HuhPrompter) Password(ctx context.Context, title string) (string, error) {
	var v string
	err := p.run(ctx, huh.NewInput().Title(title).EchoMode(huh.EchoModePassword).Value(&v))
	return v, err
}

// ConfirmDestructive gates a destructive action: --yes proceeds, a
// terminal asks, and without a terminal it fails naming --yes (a usage
// error, exit 2, as gh does). Answering no is ErrCancel.
func ConfirmDestructive(ctx context.Context, who Caller, yes bool, question string) error {
	if yes {
		return nil
	}
	p := who.prompter()
	if p == nil {
		return FlagErrorf("refusing to %s without confirmation: not a terminal, so pass --yes to confirm", question)
	}
	ok, err := p.Confirm(ctx, capitalize(question)+"?", false)
	if err != nil {
		return err
	}
	if !ok {
		return ErrCancel
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		return string(c-'a'+'A') + s[1:]
	}
	return s
}

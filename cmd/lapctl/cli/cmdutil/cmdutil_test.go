package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lapctl/client"
	"lapctl/iostreams"
	"lapctl/spec"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitError},
		{FlagErrorf("bad flag"), ExitUsage},
		{fmt.Errorf("wrapped: %w", ErrCancel), ExitCancel},
		{context.Canceled, ExitCancel},
		{spec.Errors{{Field: "name", Rule: spec.RuleRequired}}, ExitValidation},
		{fmt.Errorf("invalid agent: %w", spec.Errors{{Field: "name"}}), ExitValidation},
		{&spec.FieldError{Field: "parts"}, ExitValidation},
		{&client.ConnError{Err: errors.New("refused")}, ExitUnreachable},
		{&client.RefError{Kind: "agent", Ref: "x"}, ExitNotFound},
		{&client.RefError{Kind: "agent", Ref: "x", Candidates: []string{"a", "b"}}, ExitError},
		{&client.APIError{StatusCode: http.StatusUnauthorized}, ExitAuth},
		{&client.APIError{StatusCode: http.StatusForbidden}, ExitAuth},
		{&client.APIError{StatusCode: http.StatusNotFound}, ExitNotFound},
		{&client.APIError{StatusCode: http.StatusConflict}, ExitConflict},
		{&client.APIError{StatusCode: http.StatusBadRequest}, ExitValidation},
		{&client.APIError{StatusCode: http.StatusBadGateway}, ExitError},
		{&ExitCodeError{Code: 42}, 42},
		{&client.APIError{StatusCode: http.StatusUnprocessableEntity}, ExitValidation},
		{&client.APIError{StatusCode: http.StatusRequestEntityTooLarge}, ExitValidation},
		{fmt.Errorf("x: %w", &client.DroppedFieldsError{Platform: client.PlatformGateway, Fields: []string{"env_vars"}}), ExitValidation},
		{&client.UnsupportedError{Platform: client.PlatformManaged, Capability: "session list"}, ExitConflict},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestPrintError(t *testing.T) {
	var b bytes.Buffer
	PrintError(&b, fmt.Errorf("invalid agent: %w", spec.Errors{
		{Field: "env_vars.1X", Rule: spec.RuleKeyPattern, Message: "bad name"},
		{Field: "name", Rule: spec.RuleRequired, Message: "name is required"},
	}))
	want := "error: invalid agent (nothing was sent):\n  env_vars.1X [key_pattern]: bad name\n  name [required]: name is required\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
	for _, quiet := range []error{ErrCancel, ErrSilent, &ExitCodeError{Code: 3}} {
		b.Reset()
		PrintError(&b, quiet)
		if b.Len() != 0 {
			t.Errorf("PrintError(%v) printed %q", quiet, b.String())
		}
	}
	b.Reset()
	PrintError(&b, errors.New("plain"))
	if b.String() != "error: plain\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestParseEnvFile(t *testing.T) {
	got, err := ParseEnvFile(".env", []byte(`# comment

export A=1
B = two words # trailing comment
C="quoted # not a comment\n"
D='single $x'
E=
F=a=b
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "1", "B": "two words", "C": "quoted # not a comment\n", "D": "single $x", "E": "", "F": "a=b"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, err := ParseEnvFile(".env", []byte("A=1\nnot a pair\n")); err == nil || !strings.Contains(err.Error(), ".env:2") {
		t.Errorf("err = %v, want one naming line 2", err)
	}
}

func TestParseKeyValues(t *testing.T) {
	got, err := ParseKeyValues("--env", []string{"A=1", "B=x=y", "A=2", "EMPTY="})
	if err != nil || got["A"] != "2" || got["B"] != "x=y" || got["EMPTY"] != "" || len(got) != 3 {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"NOEQUALS", "=value"} {
		if _, err := ParseKeyValues("--env", []string{bad}); ExitCode(err) != ExitUsage {
			t.Errorf("ParseKeyValues(%q) = %v, want a usage error", bad, err)
		}
	}
}

type answer struct {
	ok    bool
	asked int
}

func (a *answer) Confirm(context.Context, string, bool) (bool, error) { a.asked++; return a.ok, nil }
func (a *answer) Input(context.Context, string, string, func(string) error) (string, error) {
	return "", nil
}
func (a *answer) Password(context.Context, string) (string, error) { return "", nil }

func TestConfirmDestructive(t *testing.T) {
	// A Caller built by hand: no Factory is needed.
	tty := func(on bool, p Prompter) Caller {
		ios, _, _, _ := iostreams.Test()
		ios.SetStdinTTY(on)
		ios.SetStdoutTTY(on)
		return Caller{IO: ios, Prompter: func() Prompter { return p }}
	}
	never := &answer{}
	f := tty(false, never)
	err := ConfirmDestructive(context.Background(), f, false, "delete agent x")
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("no terminal: %v", err)
	}
	if err := ConfirmDestructive(context.Background(), f, true, "delete agent x"); err != nil {
		t.Errorf("--yes: %v", err)
	}
	if never.asked != 0 {
		t.Errorf("asked %d times without a terminal", never.asked)
	}
	no := &answer{}
	f = tty(true, no)
	if err := ConfirmDestructive(context.Background(), f, false, "delete agent x"); !errors.Is(err, ErrCancel) || no.asked != 1 {
		t.Errorf("answered no: %v (asked %d)", err, no.asked)
	}
	f = tty(true, &answer{ok: true})
	if err := ConfirmDestructive(context.Background(), f, false, "delete agent x"); err != nil {
		t.Errorf("answered yes: %v", err)
	}
}

func TestReadInputRefusesLocalFilesRemotely(t *testing.T) {
	ios, in, _, _ := iostreams.Test()
	in.WriteString("piped")
	f := Caller{IO: ios, Remote: true}
	if _, err := ReadInput(f, "--system-file", "/etc/hostname"); !errors.Is(err, ErrRemote) {
		t.Errorf("remote file read: %v", err)
	}
	if data, err := ReadInput(f, "--system-file", "-"); err != nil || string(data) != "piped" {
		t.Errorf("remote stdin read: %q %v", data, err)
	}
}

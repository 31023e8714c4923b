package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"lapctl/client"
	"lapctl/spec"
)

// Exit codes of lapctl (documented in the README).
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitNotFound    = 3
	ExitAuth        = 4
	ExitConflict    = 5
	ExitUnreachable = 6
	ExitValidation  = 7
	ExitCancel      = 130
)

// FlagError is a usage mistake: cobra prints the usage after it.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ErrSilent means "exit 1; the command already said why".
var ErrSilent = errors.New("silent error")

// ErrCancel means the user cancelled (Ctrl-C at a prompt, "no" to a confirm).
var ErrCancel = errors.New("cancelled")

// ExitCodeError carries a specific exit code (attach returns the remote
// process's).
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var flagErr *FlagError
	var codeErr *ExitCodeError
	var connErr *client.ConnError
	var specErrs spec.Errors
	var fieldErr *spec.FieldError
	switch {
	case errors.As(err, &codeErr):
		return codeErr.Code
	case errors.As(err, &flagErr):
		return ExitUsage
	case errors.Is(err, ErrCancel), errors.Is(err, context.Canceled):
		return ExitCancel
	case errors.As(err, &specErrs), errors.As(err, &fieldErr):
		return ExitValidation
	case errors.As(err, &connErr):
		return ExitUnreachable
	}
	var dropErr *client.DroppedFieldsError
	var unsupported *client.UnsupportedError
	switch {
	case errors.As(err, &dropErr):
		return ExitValidation
	case errors.As(err, &unsupported):
		return ExitConflict
	}
	var refErr *client.RefError
	if errors.As(err, &refErr) && len(refErr.Candidates) == 0 {
		return ExitNotFound
	}
	switch client.StatusOf(err) {
	case http.StatusUnauthorized, http.StatusForbidden:
		return ExitAuth
	case http.StatusNotFound:
		return ExitNotFound
	case http.StatusConflict:
		return ExitConflict
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
		// 422 and 413: the gateway's body rejections.
		return ExitValidation
	}
	return ExitError
}

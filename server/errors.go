package server

import (
	"errors"
	"fmt"
	"net/http"

	"lapctl/spec"
)

// apiError is an error with its HTTP status and contract error body. Store
// and runtime code return these when the user can act on the failure.
type apiError struct {
	Status  int
	Type    string
	Message string
	Field   string
}

func (e *apiError) Error() string { return e.Message }

func (e *apiError) body() spec.ErrorBody {
	return spec.ErrorBody{Error: spec.ErrorDetail{Type: e.Type, Message: e.Message, Field: e.Field}}
}

func newAPIError(status int, typ, field, format string, args ...any) *apiError {
	return &apiError{Status: status, Type: typ, Field: field, Message: fmt.Sprintf(format, args...)}
}

func badRequest(field, format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, spec.ErrInvalidRequest, field, format, args...)
}

func notFound(field, format string, args ...any) *apiError {
	return newAPIError(http.StatusNotFound, spec.ErrNotFound, field, format, args...)
}

func conflict(format string, args ...any) *apiError {
	return newAPIError(http.StatusConflict, spec.ErrConflict, "", format, args...)
}

func runtimeError(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadGateway, spec.ErrRuntime, "", format, args...)
}

func unauthorized(format string, args ...any) *apiError {
	return newAPIError(http.StatusUnauthorized, spec.ErrUnauthorized, "", format, args...)
}

// validationError turns spec validation errors into a 400 that names the
// first field at fault; the message lists every broken rule so a user
// fixes them all in one go.
func validationError(err error) *apiError {
	var es spec.Errors
	if errors.As(err, &es) && len(es) > 0 {
		msg := es[0].Message
		if len(es) > 1 {
			msg = es.Error()
		}
		return badRequest(es[0].Field, "%s", msg)
	}
	var fe *spec.FieldError
	if errors.As(err, &fe) {
		return badRequest(fe.Field, "%s", fe.Message)
	}
	return badRequest("", "%s", err.Error())
}

package spec

// Error types of the contract's error body.
const (
	ErrInvalidRequest = "invalid_request"
	ErrUnauthorized   = "unauthorized"
	ErrNotFound       = "not_found"
	ErrConflict       = "conflict"
	ErrTooLarge       = "too_large"
	ErrRuntime        = "runtime_error"
	ErrServer         = "server_error"
)

// ErrorDetail is the object inside an error body.
type ErrorDetail struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// ErrorBody is the contract's error shape:
// {"error":{"type":…,"message":…,"field":…}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// MaxBodyBytes is the largest request body the server reads (413 past it).
const MaxBodyBytes = 16 << 20

package server

import (
	"errors"
	"net"
	"net/http"
	"time"

	"lapctl/spec"
)

// bodyReadTimeout bounds reading one request body: a client that sends
// headers and then trickles (or stops) cannot hold a connection forever.
// It is generous for a 16 MiB body on a slow link. http.Server's
// ReadTimeout is not used: it would also end a long-running message
// request (the connection's read deadline cancels the request).
var bodyReadTimeout = 2 * time.Minute

// readWithDeadline runs read under the body deadline, then lifts it so the
// rest of the request (a harness that takes minutes) is not cut off.
func readWithDeadline(w http.ResponseWriter, read func() error) error {
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Now().Add(bodyReadTimeout)); err != nil {
		return read() // a writer without deadlines (tests' recorders)
	}
	err := read()
	if err == nil {
		_ = rc.SetReadDeadline(time.Time{})
	} else {
		// Kept: net/http drains an unread body before answering, and a
		// stalled one would hold the answer back forever.
		w.Header().Set("Connection", "close")
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func bodyTimeout() *apiError {
	return newAPIError(http.StatusRequestTimeout, spec.ErrInvalidRequest, "",
		"the request body did not arrive within %s: send the whole body at once", bodyReadTimeout)
}

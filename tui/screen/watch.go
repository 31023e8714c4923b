package screen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"lapctl/ptyattach"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/websocket"
)

var dialer = &websocket.Dialer{
	Proxy:            http.ProxyFromEnvironment,
	HandshakeTimeout: 15 * time.Second,
	ReadBufferSize:   64 << 10,
}

// Watch connects to the tty WebSocket at rawURL (ws(s):// or http(s)://)
// and writes every frame it receives, text or binary, into out, calling
// onFrame after each. It never sends a frame. It returns nil when the
// server closes the connection (the session ended), ctx.Err() when ctx
// ends, and the error otherwise. The token goes in ?token= and as a
// bearer header, as attach sends it; it never appears in an error.
func Watch(ctx context.Context, rawURL, token string, out io.Writer, onFrame func()) error {
	target, err := ptyattach.WithToken(rawURL, token)
	if err != nil {
		return err
	}
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	ws, resp, err := dialer.DialContext(ctx, target, h)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
			return fmt.Errorf("watch refused: %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("connecting to the session's terminal: %w", redactErr(err))
	}
	defer ws.Close()
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	for {
		_, r, err := ws.NextReader()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived, websocket.CloseGoingAway):
				return nil
			case errors.Is(err, io.ErrUnexpectedEOF):
				return nil
			}
			return fmt.Errorf("reading the session's terminal: %w", redactErr(err))
		}
		if _, err := io.Copy(out, r); err != nil {
			return err
		}
		if onFrame != nil {
			onFrame()
		}
	}
}

// redactErr keeps a token out of a net error's text (url errors quote
// the whole URL).
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

package client

import (
	"fmt"
	"io"
	"net/http"

	"github.com/go-resty/resty/v2"

	"lapctl/secret"
)

// installDebugLog turns on resty's request/response log, sending it to w
// with the key, tokens and env var values masked.
func installDebugLog(r *resty.Client, w io.Writer) {
	r.SetDebug(true).
		SetDebugBodyLimit(64 << 10).
		SetLogger(debugLogger{w}).
		OnRequestLog(func(rl *resty.RequestLog) error {
			maskHeaders(rl.Header)
			rl.Body = string(secret.MaskJSON([]byte(rl.Body)))
			return nil
		}).
		OnResponseLog(func(rl *resty.ResponseLog) error {
			rl.Body = string(secret.MaskJSON([]byte(rl.Body)))
			return nil
		})
}

func maskHeaders(h http.Header) {
	for _, name := range []string{"Authorization", "X-Api-Key", "Cookie"} {
		if v := h.Get(name); v != "" {
			if name == "Authorization" && len(v) > 7 && v[:7] == "Bearer " {
				h.Set(name, "Bearer "+secret.Redact(v[7:]))
			} else {
				h.Set(name, secret.Redact(v))
			}
		}
	}
}

type debugLogger struct{ w io.Writer }

func (l debugLogger) Errorf(format string, v ...any) { fmt.Fprintf(l.w, "ERROR "+format+"\n", v...) }
func (l debugLogger) Warnf(format string, v ...any)  { fmt.Fprintf(l.w, "WARN "+format+"\n", v...) }
func (l debugLogger) Debugf(format string, v ...any) { fmt.Fprintf(l.w, format+"\n", v...) }

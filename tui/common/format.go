package common

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"lapctl/client"
	"lapctl/human"
	"lapctl/spec"
)

// ErrorText is the status line for a failed action: the server's own
// message (and field) rather than a bare status, plus what to do on 401.
func ErrorText(what string, err error) string {
	var ae *client.APIError
	var se spec.Errors
	var fe *spec.FieldError
	msg := err.Error()
	switch {
	case errors.As(err, &ae):
		msg = ae.Message
		if msg == "" {
			msg = fmt.Sprintf("status %d", ae.StatusCode)
		}
		if ae.Field != "" && !strings.Contains(msg, ae.Field) {
			msg = ae.Field + ": " + msg
		}
		if client.IsUnauthorized(err) {
			// The hint goes first: a long server message would push it
			// off a narrow status line.
			msg = "unauthorized: run lapctl login (or set LITELLM_MASTER_KEY): " + msg
		}
	case errors.As(err, &se), errors.As(err, &fe):
		msg = err.Error()
	}
	if what == "" {
		return msg
	}
	return what + ": " + msg
}

// Ago formats a Unix-millisecond time relative to now (human.Ago:
// coarse and brief, so a screen does not churn every second).
func Ago(now time.Time, ms int64) string {
	if ms <= 0 {
		return "-"
	}
	return human.Ago(time.UnixMilli(ms), now)
}

// Truncate cuts s to width cells with an ellipsis.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// Wrap word-wraps text to width cells (at least 10, so a squeezed pane
// still reads): detail fields, messages and skill bodies.
func Wrap(text string, width int) string {
	return lipgloss.NewStyle().Width(max(width, 10)).Render(text)
}

// OneLine flattens s to one line (newlines to spaces) for table cells and
// status lines.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// HarnessLabel is a harness with its kind mark: "[TUI] claude-code".
// The mark is the server's word (the client fills supports_tui from each
// dialect), never a guess from the harness's name.
func HarnessLabel(harness string, supportsTUI bool) string {
	kind := spec.KindAPI
	if supportsTUI {
		kind = spec.KindTUI
	}
	return "[" + strings.ToUpper(kind) + "] " + harness
}

// IsTUI reports whether an agent's sessions are attached over a PTY, as
// the server says.
func IsTUI(a *spec.Agent) bool { return a.SupportsTUI }

// Size formats a byte count in IEC units, as the command line does.
func Size(n int64) string { return human.Bytes(n) }

// TruncateTail cuts s to width cells keeping its end ("…sonnet-4-6"):
// model names and paths differ in their tails, not their prefixes.
func TruncateTail(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	return "…" + ansi.TruncateLeft(s, ansi.StringWidth(s)-(width-1), "")
}

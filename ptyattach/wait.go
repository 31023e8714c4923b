package ptyattach

import (
	"context"
	"fmt"
	"time"

	"lapctl/spec"
)

// waitStarted polls the session until it can be attached to: past
// starting (or the managed server's creating), and with a tty_url when
// the server says a terminal is coming. It gives up after StartTimeout
// with the server's diagnostics; Esc and ctrl-c leave it at any moment.
func (a *attacher) waitStarted(ctx context.Context) (*spec.Session, *Result, error) {
	a.waiting.Store(true)
	defer a.waiting.Store(false)
	poll := time.NewTimer(0)
	defer poll.Stop()
	giveUp := time.NewTimer(a.opts.StartTimeout)
	defer giveUp.Stop()
	began := time.Now()
	var spinC <-chan time.Time
	if a.st.tty {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		spinC = t.C
	}
	defer a.st.endSpin()
	text := ""
	var last *spec.Session // what the server said last, for the diagnostics
	for {
		select {
		case <-ctx.Done():
			res, err := canceled(ctx)
			return nil, res, err
		case ev := <-a.events:
			if ev.kind == evSignal {
				res, err := localEnd(ev)
				return nil, res, err
			}
			return nil, nil, ErrStoppedWaiting
		case <-giveUp.C:
			if last == nil {
				last = &spec.Session{ID: a.opts.SessionID}
			}
			return nil, nil, &StartTimeoutError{Session: last, Waited: time.Since(began)}
		case <-spinC:
			if text != "" {
				a.st.spin(text)
			}
		case <-poll.C:
			sess, err := a.opts.Client.GetSession(ctx, a.opts.SessionID)
			if err != nil {
				if gone := sessionGone(a.opts.SessionID, err); gone != nil {
					return nil, nil, gone
				}
				return nil, nil, err
			}
			last = sess
			tty, known := sess.HasTTY()
			switch {
			case known && !tty:
				return nil, nil, &NoTTYError{SessionID: sess.ID, Harness: sess.Harness}
			case waiting(sess), alive(sess) && sess.TTYURL == "" && known && a.opts.URL == "":
				// Managed: the tty_url comes with "ready".
				text = startingText(sess)
				a.st.spin(text)
				poll.Reset(a.opts.PollInterval)
			case alive(sess):
				return sess, nil, nil
			default:
				res, err := exitedResult(sess)
				return nil, res, err
			}
		}
	}
}

// startingText is the spinner's line: "starting ses_1: cloning repo (3/5)…".
func startingText(s *spec.Session) string {
	text := fmt.Sprintf("starting %s: %s", s.ID, phaseText(s.Phase))
	if s.PhaseDetail != "" {
		text += " (" + s.PhaseDetail + ")"
	}
	return text + "…"
}

// Package ptybench measures a shell behind a terminal the way a person
// feels it: output throughput and keystroke echo latency, read from the
// master side of a pty. The Go benchmarks in ptyattach and the
// whole-program benchmark in bench/attach share it, so the local baseline
// and lapctl attach are measured by the same code in the same run.
package ptybench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// Screen reads a terminal's output in the background and waits for text
// in it. The reader goroutine does the matching itself and wakes the
// waiter only when the text has arrived: a hand-off per read would make
// the measuring terminal cost more than the path it measures.
type Screen struct {
	w     io.Writer
	found chan struct{} // signalled when want is in buf, or on a read error

	mu      sync.Mutex
	buf     []byte // read but not yet consumed
	dropped int64  // bytes let go while waiting for want
	want    []byte // what Expect waits for; nil when nobody waits
	err     error  // the read error that ended the reader
}

// NewScreen starts reading r; keys are typed on w (the same pty master).
func NewScreen(rw io.ReadWriter) *Screen {
	s := &Screen{w: rw, found: make(chan struct{}, 1)}
	go func() {
		b := make([]byte, 64<<10)
		for {
			n, err := rw.Read(b)
			s.mu.Lock()
			s.buf = append(s.buf, b[:n]...)
			if err != nil {
				s.err = err
			}
			if s.err != nil || (s.want != nil && s.scan()) {
				s.want = nil
				select {
				case s.found <- struct{}{}:
				default:
				}
			}
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// scan reports whether want is in buf; if not, it lets go of all but a
// tail that may hold want's start, counting what it dropped. Called with
// mu held.
func (s *Screen) scan() bool {
	if bytes.Contains(s.buf, s.want) {
		return true
	}
	if keep := len(s.want) - 1; len(s.buf) > keep {
		s.dropped += int64(len(s.buf) - keep)
		s.buf = append(s.buf[:0], s.buf[len(s.buf)-keep:]...)
	}
	return false
}

// Type writes keys.
func (s *Screen) Type(keys string) error {
	_, err := io.WriteString(s.w, keys)
	return err
}

// Expect consumes output up to and including text and returns how many
// bytes came before it.
func (s *Screen) Expect(text string, timeout time.Duration) (int64, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	want := []byte(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropped = 0
	for {
		if i := bytes.Index(s.buf, want); i >= 0 {
			n := s.dropped + int64(i)
			s.buf = s.buf[i+len(want):]
			return n, nil
		}
		if s.err != nil {
			return s.dropped, fmt.Errorf("terminal closed before %q: %v", text, s.err)
		}
		s.want = want
		s.scan()
		s.mu.Unlock()
		select {
		case <-s.found:
			s.mu.Lock()
		case <-t.C:
			s.mu.Lock()
			s.want = nil
			return s.dropped, fmt.Errorf("no %q within %s (last output %q)", text, timeout, tail(s.buf))
		}
	}
}

func tail(b []byte) string {
	if len(b) > 200 {
		b = b[len(b)-200:]
	}
	return string(b)
}

// Sync runs a no-op command and waits for its output, so that what comes
// next starts on a quiet screen at a prompt.
func (s *Screen) Sync(timeout time.Duration) error {
	// The command line echoes as SY"X"NC; only the output reads SYXNC.
	if err := s.Type("\x15printf 'SY%sNC\\n' X\r"); err != nil {
		return err
	}
	_, err := s.Expect("SYXNC", timeout)
	return err
}

// Throughput has the shell print n bytes and returns the rate at which
// they arrived, in bytes per second.
func (s *Screen) Throughput(n int64, timeout time.Duration) (float64, error) {
	if err := s.Sync(timeout); err != nil {
		return 0, err
	}
	cmd := fmt.Sprintf("head -c %d /dev/zero | tr '\\0' a; printf 'DO%%sNE\\n' X\r", n)
	start := time.Now()
	if err := s.Type(cmd); err != nil {
		return 0, err
	}
	got, err := s.Expect("DOXNE", timeout)
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if got < n {
		return 0, fmt.Errorf("got %d bytes, want at least %d", got, n)
	}
	return float64(n) / d.Seconds(), nil
}

// EchoLatency types keys one at a time, each when the last one's echo has
// arrived, and returns the delays. The line is cleared every so often: a
// terminal's line buffer holds 4 KiB.
func (s *Screen) EchoLatency(keys int, timeout time.Duration) ([]time.Duration, error) {
	if err := s.Sync(timeout); err != nil {
		return nil, err
	}
	out := make([]time.Duration, 0, keys)
	for i := 0; i < keys; i++ {
		if i > 0 && i%1000 == 0 {
			if err := s.Sync(timeout); err != nil {
				return nil, err
			}
		}
		start := time.Now()
		if err := s.Type("x"); err != nil {
			return nil, err
		}
		if _, err := s.Expect("x", timeout); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, s.Sync(timeout)
}

// Percentile returns the p-th percentile (0–100) of ds.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// ErrGoal marks figures that miss the goal.
var ErrGoal = errors.New("goal missed")

package ptyattach

import (
	"testing"
	"time"
)

// run feeds chunks through an escaper and returns what it forwards and
// whether it detached.
func feedAll(keys string, grace time.Duration, chunks ...string) (string, bool) {
	k, err := ParseDetachKeys(keys)
	if err != nil {
		panic(err)
	}
	detached := false
	e := newEscaper(k, grace, func() { detached = true })
	var out []byte
	for _, c := range chunks {
		var det bool
		out, det = e.feed(out, []byte(c))
		detached = detached || det
	}
	e.stop()
	return string(out), detached
}

func TestEscaperMultiKey(t *testing.T) {
	const p, q = "\x10", "\x11"
	tests := []struct {
		name   string
		chunks []string
		fwd    string
		detach bool
	}{
		{"plain", []string{"ls\r"}, "ls\r", false},
		{"sequence", []string{"ab" + p + q + "cd"}, "ab", true},
		{"split sequence", []string{"ab" + p, q, "cd"}, "ab", true},
		{"first key twice sends one", []string{p + p}, p, false},
		{"first key twice then sequence", []string{p + p + "x" + p + q}, p + "x", true},
		{"mismatch flushes", []string{p + "x"}, p + "x", false},
		{"mismatch restarts match", []string{p + "\x01" + p + q}, p + "\x01", true},
		{"held at chunk end", []string{"a" + p}, "a", false},
		{"ctrl-d passes", []string{"\x04"}, "\x04", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fwd, det := feedAll("ctrl-p,ctrl-q", time.Hour, tt.chunks...)
			if fwd != tt.fwd || det != tt.detach {
				t.Errorf("got %q detach=%v, want %q detach=%v", fwd, det, tt.fwd, tt.detach)
			}
		})
	}
}

func TestEscaperRepeatedKeySequence(t *testing.T) {
	// ctrl-a,ctrl-a: the second press completes the sequence.
	fwd, det := feedAll("ctrl-a,ctrl-a", time.Hour, "x\x01\x01y")
	if fwd != "x" || !det {
		t.Errorf("got %q detach=%v", fwd, det)
	}
}

func TestEscaperSingleKey(t *testing.T) {
	const gs = "\x1d"
	// Twice in a row: one goes through, no detach.
	if fwd, det := feedAll("", time.Hour, "a"+gs+gs+"b"); fwd != "a"+gs+"b" || det {
		t.Errorf("double: got %q detach=%v", fwd, det)
	}
	if fwd, det := feedAll("", time.Hour, gs, gs); fwd != gs || det {
		t.Errorf("double split: got %q detach=%v", fwd, det)
	}
	// Another key after it: detach now, the key is dropped.
	if fwd, det := feedAll("", time.Hour, "a"+gs+"b"); fwd != "a" || !det {
		t.Errorf("then other: got %q detach=%v", fwd, det)
	}
}

func TestEscaperSingleKeyGrace(t *testing.T) {
	k, _ := ParseDetachKeys("")
	done := make(chan struct{})
	e := newEscaper(k, 10*time.Millisecond, func() { close(done) })
	if out, det := e.feed(nil, []byte("x\x1d")); string(out) != "x" || det {
		t.Fatalf("forwarded %q, detach=%v", out, det)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("no detach after the grace period")
	}
	if out, det := e.feed(nil, []byte("more")); len(out) != 0 || !det {
		t.Errorf("forwarded %q after detach (detach=%v)", out, det)
	}
}

func TestEscaperNoKeys(t *testing.T) {
	e := newEscaper(nil, time.Hour, func() { t.Error("detached") })
	if out, _ := e.feed(nil, []byte("\x1d\x1d\x10\x11")); string(out) != "\x1d\x1d\x10\x11" {
		t.Errorf("forwarded %q", out)
	}
}

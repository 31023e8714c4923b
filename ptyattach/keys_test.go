package ptyattach

import (
	"bytes"
	"testing"
)

func TestParseDetachKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"", []byte{0x1d}},
		{"  ", []byte{0x1d}},
		{"ctrl-]", []byte{0x1d}},
		{"ctrl-p,ctrl-q", []byte{0x10, 0x11}},
		{"ctrl-p, ctrl-q", []byte{0x10, 0x11}},
		{"CTRL-A", []byte{0x01}},
		{"ctrl-z", []byte{0x1a}},
		{"ctrl-@", []byte{0x00}},
		{"ctrl-[", []byte{0x1b}},
		{`ctrl-\`, []byte{0x1c}},
		{"ctrl-^", []byte{0x1e}},
		{"ctrl-_", []byte{0x1f}},
		{"a", []byte{'a'}},
		{"ctrl-a,x,ctrl-b", []byte{0x01, 'x', 0x02}},
		{",", nil},
	}
	for _, tt := range tests {
		got, err := ParseDetachKeys(tt.in)
		if tt.want == nil {
			// "," is two empty keys: an error
			if err == nil {
				t.Errorf("ParseDetachKeys(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("ParseDetachKeys(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDetachKeysErrors(t *testing.T) {
	for _, in := range []string{"ctrl-", "ctrl-1", "ctrl-ab", "abc", "ctrl-p,,ctrl-q", "ctrl-p,", "shift-a", "ctrl+p", "ctrl-é"} {
		if got, err := ParseDetachKeys(in); err == nil {
			t.Errorf("ParseDetachKeys(%q) = %v, want an error", in, got)
		}
	}
}

func TestFormatDetachKeys(t *testing.T) {
	for _, in := range []string{"ctrl-]", "ctrl-p,ctrl-q", "ctrl-@", "x,ctrl-_"} {
		b, err := ParseDetachKeys(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatDetachKeys(b); got != in {
			t.Errorf("FormatDetachKeys(%v) = %q, want %q", b, got, in)
		}
	}
}

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

// TestDetachKeysRoundTrip: every key FormatDetachKeys prints parses back
// to the same byte, DEL included.
func TestDetachKeysRoundTrip(t *testing.T) {
	var all []byte
	for b := 0; b < 128; b++ {
		if b == ',' || b == ' ' {
			continue // the separator, and a space that trimming drops
		}
		all = append(all, byte(b))
	}
	for _, b := range all {
		text := FormatDetachKeys([]byte{b})
		got, err := ParseDetachKeys(text)
		if err != nil || len(got) != 1 || got[0] != b {
			t.Errorf("byte %d prints as %q, which parses to %v, %v", b, text, got, err)
		}
	}
	if got, err := ParseDetachKeys("ctrl-p,DEL"); err != nil || string(got) != "\x10\x7f" {
		t.Errorf(`"ctrl-p,DEL" = %q, %v`, got, err)
	}
	if text := FormatDetachKeys([]byte{0x7f}); text != "DEL" {
		t.Errorf("DEL prints as %q", text)
	}
}

package ptyattach

import "testing"

func TestModeTracker(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   string
	}{
		{"nothing", []string{"hello"}, ""},
		{"alt screen left on", []string{"\x1b[?1049h\x1b[?25lhi"}, "\x1b[?1049l\x1b[?25h"},
		{"alt screen left", []string{"\x1b[?1049h", "x\x1b[?1049l\x1b[?25h"}, ""},
		{"list", []string{"\x1b[?1000;1006h"}, "\x1b[?1000l\x1b[?1006l"},
		{"split across chunks", []string{"ab\x1b[?20", "04h"}, "\x1b[?2004l"},
		{"split after escape", []string{"ab\x1b", "[?1h"}, "\x1b[?1l"},
		{"split after bracket", []string{"ab\x1b[", "?1h"}, "\x1b[?1l"},
		{"other csi ignored", []string{"\x1b[2J\x1b[?1049"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m modeTracker
			for _, c := range tt.chunks {
				m.scan([]byte(c))
			}
			if got := string(m.reset()); got != tt.want {
				t.Errorf("reset = %q, want %q", got, tt.want)
			}
		})
	}
}

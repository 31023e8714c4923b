package forms

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lapctl/assets"
)

func TestThemeFromEveryPalette(t *testing.T) {
	for _, name := range assets.ThemeNames() {
		p, err := assets.Theme(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, dark := range []bool{true, false} {
			th := Theme(dark, p)
			if out := th.Focused.Title.Render("x"); !strings.Contains(out, "\x1b[") {
				t.Errorf("theme %s (dark %v): the title drew no colour: %q", name, dark, out)
			}
			if got, want := hex(th.Focused.Title.GetForeground()), hex(lipgloss.Color(p.Primary.Hex(dark))); got != want {
				t.Errorf("theme %s (dark %v): title colour %s, want the palette's %s", name, dark, got, want)
			}
		}
	}
}

func hex(c color.Color) string {
	if c == nil {
		return "none"
	}
	r, g, b, _ := c.RGBA()
	return string([]byte{byte(r >> 8), byte(g >> 8), byte(b >> 8)})
}

// TestBuilderFollowsBackground: the builder starts dark and takes the
// background the program reports, for its own styles and its huh forms.
func TestBuilderFollowsBackground(t *testing.T) {
	srv := newFakeServer(t)
	d := newDriver(t, Options{Client: srv.client(t), OwnerID: "me"})
	pal := assets.MustTheme("")
	if pal.Primary.Light == pal.Primary.Dark {
		t.Fatal("the default palette needs distinct light and dark primaries for this test")
	}
	if got := hex(d.b.st.Title.GetForeground()); got != hex(lipgloss.Color(pal.Primary.Dark)) {
		t.Fatalf("before any answer the title is %q, want the dark variant", got)
	}
	d.send(tea.BackgroundColorMsg{Color: color.White})
	if got := hex(d.b.st.Title.GetForeground()); got != hex(lipgloss.Color(pal.Primary.Light)) {
		t.Errorf("after a light background the title is %q, want the light variant", got)
	}
	if got := hex(d.b.theme.Theme(true).Focused.Title.GetForeground()); got != hex(lipgloss.Color(pal.Primary.Light)) {
		t.Errorf("the huh forms' title is %q after a light background, want the light variant", got)
	}
	d.send(tea.BackgroundColorMsg{Color: color.Black})
	if got := hex(d.b.st.Title.GetForeground()); got != hex(lipgloss.Color(pal.Primary.Dark)) {
		t.Errorf("after a dark background the title is %q, want the dark variant", got)
	}
}

func TestSmallTerminalFits(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	for _, size := range [][2]int{{80, 24}, {60, 16}, {120, 40}} {
		d.b.SetSize(size[0], size[1])
		v := d.view()
		if n := strings.Count(v, "\n") + 1; n > size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], n)
		}
		for _, line := range strings.Split(v, "\n") {
			if w := lipgloss.Width(line); w > size[0] {
				t.Errorf("%dx%d: line %d wide: %q", size[0], size[1], w, line)
			}
		}
	}
}

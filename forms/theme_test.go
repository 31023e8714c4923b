package forms

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"lapctl/assets"
)

func TestThemeFromEveryPalette(t *testing.T) {
	color := lipgloss.NewRenderer(nil)
	color.SetColorProfile(termenv.TrueColor)
	for _, name := range assets.ThemeNames() {
		p, err := assets.Theme(name)
		if err != nil {
			t.Fatal(err)
		}
		th := Theme(color, p)
		if out := th.Focused.Title.Render("x"); !strings.Contains(out, "\x1b[") {
			t.Errorf("theme %s: a colour renderer drew no colour: %q", name, out)
		}
		if out := Theme(asciiRenderer(), p).Focused.Title.Render("x"); out != "x" {
			t.Errorf("theme %s: the ASCII renderer drew %q", name, out)
		}
	}
	if Theme(nil, assets.MustTheme("")) == nil {
		t.Fatal("nil renderer: want the default renderer's theme")
	}
}

// TestNoColorDrawsPlainText walks every screen with the ASCII profile (what
// NO_COLOR gives) and checks no escape sequence is drawn, while a colour
// renderer does draw them: the builder's styles come from its renderer.
func TestNoColorDrawsPlainText(t *testing.T) {
	srv := newFakeServer(t)
	d := reviewDriver(t, srv, fullSpec())
	if v := d.b.View(); v != ansi.Strip(v) {
		t.Fatalf("escape sequences with the ASCII profile:\n%q", v)
	}
	color := lipgloss.NewRenderer(nil)
	color.SetColorProfile(termenv.TrueColor)
	d = newDriver(t, Options{Client: srv.client(t), OwnerID: "me", Renderer: color, Theme: "dracula"})
	if v := d.b.View(); v == ansi.Strip(v) {
		t.Fatal("a colour renderer drew no colour")
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

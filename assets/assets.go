// Package assets embeds lapctl's themes and example agent specs, so the
// binary needs no files beside it.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed themes/*.yaml examples/*
var files embed.FS

// DefaultTheme is the theme used when none is configured.
const DefaultTheme = "lapctl"

// Color is one colour in a light and a dark variant (hex), chosen by the
// terminal's background (Hex picks it; lipgloss.LightDark takes the pair).
type Color struct {
	Light string `yaml:"light"`
	Dark  string `yaml:"dark"`
}

// Hex is the variant for a dark or a light background.
func (c Color) Hex(dark bool) string {
	if dark {
		return c.Dark
	}
	return c.Light
}

// Palette is a theme: the named colours every console view and form uses.
type Palette struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Primary     Color  `yaml:"primary"`   // titles, focused items
	Secondary   Color  `yaml:"secondary"` // headers, selected rows' text
	Accent      Color  `yaml:"accent"`    // key hints, TUI marks
	Text        Color  `yaml:"text"`
	Muted       Color  `yaml:"muted"`  // help, descriptions
	Subtle      Color  `yaml:"subtle"` // borders, separators
	Selection   Color  `yaml:"selection"`
	Success     Color  `yaml:"success"`
	Warning     Color  `yaml:"warning"`
	Error       Color  `yaml:"error"`
}

// Theme loads a theme by name ("" is the default).
func Theme(name string) (Palette, error) {
	if name == "" {
		name = DefaultTheme
	}
	data, err := files.ReadFile(path.Join("themes", name+".yaml"))
	if err != nil {
		return Palette{}, fmt.Errorf("no theme named %q: choose one of %s", name, strings.Join(ThemeNames(), ", "))
	}
	var p Palette
	if err := yaml.Unmarshal(data, &p); err != nil {
		return Palette{}, fmt.Errorf("theme %s is broken: %w", name, err)
	}
	return p, nil
}

// MustTheme is Theme for names known to exist; an unknown name falls back
// to the default theme rather than failing a UI.
func MustTheme(name string) Palette {
	if p, err := Theme(name); err == nil {
		return p
	}
	p, err := Theme(DefaultTheme)
	if err != nil {
		panic("assets: default theme missing: " + err.Error())
	}
	return p
}

// ThemeNames lists the embedded themes.
func ThemeNames() []string {
	entries, _ := fs.ReadDir(files, "themes")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Example returns an embedded example file (e.g. "agent.yaml").
func Example(name string) ([]byte, error) {
	return files.ReadFile(path.Join("examples", name))
}

// ExampleNames lists the embedded examples.
func ExampleNames() []string {
	entries, _ := fs.ReadDir(files, "examples")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

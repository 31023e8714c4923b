package assets

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"lapctl/spec"
)

var hex = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

func TestEveryThemeIsComplete(t *testing.T) {
	names := ThemeNames()
	if len(names) < 2 {
		t.Fatalf("themes = %v", names)
	}
	for _, n := range names {
		p, err := Theme(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []Color{p.Primary, p.Secondary, p.Accent, p.Text, p.Muted, p.Subtle, p.Selection, p.Success, p.Warning, p.Error} {
			if !hex.MatchString(c.Light) || !hex.MatchString(c.Dark) {
				t.Errorf("theme %s has a colour that is not #RRGGBB: %+v", n, c)
			}
		}
	}
}

func TestUnknownThemeNamesTheChoices(t *testing.T) {
	_, err := Theme("nope")
	if err == nil || !strings.Contains(err.Error(), DefaultTheme) {
		t.Fatalf("err = %v", err)
	}
	if MustTheme("nope").Name != DefaultTheme {
		t.Fatal("MustTheme must fall back to the default")
	}
}

func TestExamplesAreValidSpecs(t *testing.T) {
	for _, name := range ExampleNames() {
		data, err := Example(name)
		if err != nil {
			t.Fatal(err)
		}
		var s spec.AgentSpec
		if strings.HasSuffix(name, ".json") {
			err = json.Unmarshal(data, &s)
		} else {
			err = yaml.Unmarshal(data, &s)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%s does not validate: %v", name, err)
		}
	}
}

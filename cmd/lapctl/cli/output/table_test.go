package output

import (
	"strings"
	"testing"

	"lapctl/iostreams"
)

func TestTablePlainIsTabSeparatedWithoutHeader(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	tbl := NewTable(ios, Column{Header: "NAME"}, Column{Header: "ID"})
	tbl.AddRow("a b", "id\t1")
	tbl.AddRow("multi\nline", "id2")
	if err := tbl.Render(); err != nil {
		t.Fatal(err)
	}
	want := "a b\tid 1\nmulti line\tid2\n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}

func TestTableFitsTerminalWidth(t *testing.T) {
	cols := []Column{
		{Header: "NAME", MinWidth: 8},
		{Header: "ID"},
		{Header: "MODEL", Drop: 1, MinWidth: 10},
		{Header: "CREATED", Drop: 2},
	}
	rows := [][]string{{"a-rather-long-agent-name-indeed", "agent_0123456789", "anthropic/claude-sonnet-4-6", "3 minutes ago"}}
	for _, tc := range []struct {
		width   int
		headers []string
	}{
		{200, []string{"NAME", "ID", "MODEL", "CREATED"}},
		{80, []string{"NAME", "ID", "MODEL", "CREATED"}}, // MODEL clipped, not dropped
		{62, []string{"NAME", "ID", "MODEL"}},
		{55, []string{"NAME", "ID"}}, // droppable columns go before NAME is clipped
		{30, []string{"NAME", "ID"}}, // then NAME is clipped; ids never are
	} {
		ios := iostreams.New(nil, &strings.Builder{}, nil, true, func() int { return tc.width }, func(k string) string {
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		})
		out := ios.Out.(*strings.Builder)
		tbl := NewTable(ios, cols...)
		for _, r := range rows {
			tbl.AddRow(r...)
		}
		if err := tbl.Render(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		if got := strings.Fields(lines[0]); strings.Join(got, ",") != strings.Join(tc.headers, ",") {
			t.Errorf("width %d: headers %v, want %v\n%s", tc.width, got, tc.headers, out)
		}
		for _, l := range lines {
			if w := len([]rune(strings.TrimRight(l, " "))); w > tc.width {
				t.Errorf("width %d: line %q is %d wide", tc.width, l, w)
			}
		}
		if !strings.Contains(out.String(), "agent_0123456789") {
			t.Errorf("width %d: the id column must never be truncated:\n%s", tc.width, out)
		}
	}
}

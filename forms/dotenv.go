package forms

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// parseDotEnv reads a .env file: KEY=VALUE lines, blank lines and # comments
// skipped, an optional "export " prefix, and values optionally in single
// or double quotes (double quotes understand Go escapes such as \n). Keys
// are not checked here: bad ones are imported as rows and flagged by the
// spec rules like typed ones, so the operator sees and fixes them.
func parseDotEnv(data string) ([]envRow, error) {
	var rows []envRow
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d has no '=': write KEY=VALUE", n)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"':
			if v, err := strconv.Unquote(value); err == nil {
				value = v
			} else {
				value = value[1 : len(value)-1]
			}
		case len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'':
			value = value[1 : len(value)-1]
		default:
			// An unquoted value ends at an inline comment.
			if i := strings.Index(value, " #"); i >= 0 {
				value = strings.TrimSpace(value[:i])
			}
		}
		rows = append(rows, envRow{Key: key, Value: value})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}

package cmdutil

import (
	"fmt"
	"io"
	"os"

	"lapctl/human"
)

// MaxInputBytes bounds a file or stdin read for a flag (specs, prompts,
// skill content): the server refuses bodies past spec.MaxBodyBytes anyway.
const MaxInputBytes = 16 << 20

// ReadInput reads a flag's file argument: "-" is the command's stdin;
// anything else is a local file, which a remote caller may not read.
func ReadInput(who Caller, flag, path string) ([]byte, error) {
	if path == "-" {
		data, err := io.ReadAll(io.LimitReader(who.IO.In, MaxInputBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%s: reading stdin: %w", flag, err)
		}
		if len(data) > MaxInputBytes {
			return nil, fmt.Errorf("%s: stdin is larger than %s", flag, human.Bytes(MaxInputBytes))
		}
		return data, nil
	}
	if who.Remote {
		return nil, fmt.Errorf("%s %s: %w (pass - to read stdin instead)", flag, path, ErrRemote)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: %s is a directory, want a file", flag, path)
	}
	if info.Size() > MaxInputBytes {
		return nil, fmt.Errorf("%s: %s is %s, larger than the %s the server accepts", flag, path, human.Bytes(info.Size()), human.Bytes(MaxInputBytes))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return data, nil
}

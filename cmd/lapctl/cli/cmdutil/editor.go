package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	shlex "github.com/anmitsu/go-shlex"
)

// EditText opens text in the user's editor ($VISUAL, $EDITOR, else vi)
// through a temporary file readable by the user alone (it may hold
// prompts with secrets), and returns the saved text.
func EditText(ctx context.Context, who Caller, pattern, text string) (string, error) {
	if who.Remote {
		return "", fmt.Errorf("the editor: %w; pass the content with --content-file - instead", ErrRemote)
	}
	editor := who.IO.Getenv("VISUAL")
	if editor == "" {
		editor = who.IO.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	argv, err := shlex.Split(editor, true)
	if err != nil || len(argv) == 0 {
		return "", fmt.Errorf("cannot parse the editor command %q: %v", editor, err)
	}
	tmp, err := os.CreateTemp("", "lapctl-"+pattern) // CreateTemp makes it 0600
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.WriteString(tmp, text); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], tmp.Name())...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = who.IO.In, who.IO.Out, who.IO.ErrOut
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", fmt.Errorf("the editor %q exited with status %d: nothing was saved", editor, exit.ExitCode())
		}
		return "", fmt.Errorf("running the editor %q: %w (set $EDITOR)", editor, err)
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil {
		return "", err
	}
	return string(data), nil
}

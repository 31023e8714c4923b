package forms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"lapctl/spec"
)

// savedHeader opens a saved spec: how to use it and why it is private.
const savedHeader = `# Agent spec saved by lapctl. Create the agent with: lapctl agents create -f %s
# It holds the real env var values and file contents: keep it private
# (lapctl writes it readable by you only, mode 0600).
`

// savedMsg says whether the spec was saved.
type savedMsg struct {
	id   int
	path string
	err  error
}

// saveProgressMsg reports how much of the spec file is written.
type saveProgressMsg struct {
	id          int
	done, total int64
}

// saveChunk is how much is written between progress reports.
const saveChunk = 256 << 10

// saveJob is a spec being written in the background, reported as a
// fileLoad is: progress and the result come on ch, wait turns each into
// a message, and cancel stops the write, leaving the target untouched.
type saveJob struct {
	id          int
	path        string
	done, total int64
	ch          chan tea.Msg
	ctx         context.Context
	cancel      context.CancelFunc
}

// startSave writes s with its secrets to path in a goroutine.
func startSave(ctx context.Context, id int, s *spec.AgentSpec, path string) (*saveJob, tea.Cmd) {
	j := &saveJob{id: id, path: path, ch: make(chan tea.Msg, 1)}
	j.ctx, j.cancel = context.WithCancel(ctx)
	go func() {
		err := writeSpecFile(j.ctx, s, path, func(done, total int64) error {
			select {
			case j.ch <- saveProgressMsg{id: id, done: done, total: total}:
				return nil
			case <-j.ctx.Done():
				return j.ctx.Err()
			}
		})
		select {
		case j.ch <- savedMsg{id: id, path: path, err: err}:
		case <-j.ctx.Done():
		}
	}()
	return j, j.wait()
}

// wait is the save's next message; once it is stopped, wait returns at
// once rather than block.
func (j *saveJob) wait() tea.Cmd {
	ch, ctx, id, path := j.ch, j.ctx, j.id, j.path
	return func() tea.Msg {
		select {
		case msg := <-ch:
			return msg
		case <-ctx.Done():
			return savedMsg{id: id, path: path, err: ctx.Err()}
		}
	}
}

// saveSpec writes s to path in one tea.Cmd, without progress reports
// (the accessible mode prints its own line).
func saveSpec(s *spec.AgentSpec, path string) tea.Cmd {
	return func() tea.Msg {
		return savedMsg{path: path, err: writeSpecFile(context.Background(), s, path, nil)}
	}
}

// writeSpecFile renders s with its secrets and writes it to path.
func writeSpecFile(ctx context.Context, s *spec.AgentSpec, path string, progress func(done, total int64) error) error {
	data, err := agentYAML(s, true)
	if err != nil {
		return err
	}
	data = append([]byte(fmt.Sprintf(savedHeader, filepath.Base(path))), data...)
	return writePrivate(ctx, path, data, progress)
}

// writePrivate writes data to path with mode 0600: into a new file beside
// it (created 0600, so the secrets are never readable by others), which
// then replaces path. A failed or stopped write leaves path as it was.
// progress, when set, is told after each chunk; its error stops the write.
func writePrivate(ctx context.Context, path string, data []byte, progress func(done, total int64) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", path, plainError(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	total := int64(len(data))
	for done := int64(0); done < total; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.Write(data[done:min(done+saveChunk, total)])
		done += int64(n)
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, plainError(err))
		}
		if progress != nil {
			if err := progress(done, total); err != nil {
				return err
			}
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("cannot replace %s: %w", path, plainError(err))
	}
	return nil
}

// plainError is err without the temporary file's name an *os.PathError
// or *os.LinkError carries.
func plainError(err error) error {
	switch e := err.(type) {
	case *os.PathError:
		return e.Err
	case *os.LinkError:
		return e.Err
	}
	return err
}

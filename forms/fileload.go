package forms

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lapctl/human"
	"lapctl/spec"
)

// fileStatMsg is a chosen file's size, checked before anything is read.
type fileStatMsg struct {
	path string
	size int64
	err  error
}

// loadProgressMsg reports how much of a file was read and encoded.
type loadProgressMsg struct {
	id   int
	read int64
}

// loadDoneMsg carries a file read and encoded, or why it was not.
type loadDoneMsg struct {
	id    int
	entry fileEntry
	err   error
}

// fileLoad is a file being read in the background: the reading goroutine
// sends progress and the result on ch, and waitLoad turns each into a
// message, re-armed after every progress report (bubbletea's realtime
// example), so Update never blocks on the disk.
type fileLoad struct {
	id     int
	path   string
	size   int64
	read   int64
	ch     chan tea.Msg
	ctx    context.Context
	cancel context.CancelFunc // esc stops the read
}

// loadChunk is how much is read between progress reports.
const loadChunk = 256 << 10

func statFile(path string) tea.Cmd {
	return func() tea.Msg {
		info, err := os.Stat(path)
		switch {
		case err != nil:
			return fileStatMsg{path: path, err: err}
		case info.IsDir():
			return fileStatMsg{path: path, err: fmt.Errorf("%s is a directory: choose a file", path)}
		case !info.Mode().IsRegular():
			return fileStatMsg{path: path, err: fmt.Errorf("%s is not a regular file", path)}
		}
		return fileStatMsg{path: path, size: info.Size()}
	}
}

// startLoad reads path in a goroutine, base64-encoding as it goes, and
// stops if the file turns out larger than budget base64 characters (it
// may have grown since it was checked).
func startLoad(ctx context.Context, id int, path string, size int64, budget int) (*fileLoad, tea.Cmd) {
	l := &fileLoad{id: id, path: path, size: size, ch: make(chan tea.Msg, 1)}
	l.ctx, l.cancel = context.WithCancel(ctx)
	ctx = l.ctx
	go func() {
		entry, err := encodeFile(ctx, l, budget)
		select {
		case l.ch <- loadDoneMsg{id: id, entry: entry, err: err}:
		case <-ctx.Done():
		}
	}()
	return l, l.wait()
}

// wait is the next message of the read; once the read is stopped it
// returns at once, so no command is left blocked on the channel.
func (l *fileLoad) wait() tea.Cmd {
	ch, ctx, id := l.ch, l.ctx, l.id
	return func() tea.Msg {
		select {
		case msg := <-ch:
			return msg
		case <-ctx.Done():
			return loadDoneMsg{id: id, err: ctx.Err()}
		}
	}
}

func encodeFile(ctx context.Context, l *fileLoad, budget int) (fileEntry, error) {
	f, err := os.Open(l.path)
	if err != nil {
		return fileEntry{}, err
	}
	defer f.Close()
	var out strings.Builder
	out.Grow(base64.StdEncoding.EncodedLen(int(l.size)))
	enc := base64.NewEncoder(base64.StdEncoding, &out)
	buf := make([]byte, loadChunk)
	var head []byte
	var read int64
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if head == nil {
				head = append([]byte(nil), buf[:min(n, 512)]...)
			}
			_, _ = enc.Write(buf[:n]) // a strings.Builder never fails
			read += int64(n)
			if base64.StdEncoding.EncodedLen(int(read)) > budget {
				return fileEntry{}, fmt.Errorf("%s grew past the %s left of the files' base64 limit while it was read", l.path, human.Bytes(int64(budget)))
			}
			select {
			case l.ch <- loadProgressMsg{id: l.id, read: read}:
			case <-ctx.Done():
				return fileEntry{}, ctx.Err()
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fileEntry{}, err
		}
	}
	_ = enc.Close()
	name := filepath.Base(l.path)
	return fileEntry{
		Local:       l.path,
		Name:        name,
		SandboxPath: "~/" + name,
		ContentType: http.DetectContentType(head),
		Size:        read,
		Content:     out.String(),
	}, nil
}

// base64Used is how much of the files' base64 limit the entries take.
// Files kept on the server (no content here) count at their encoded size,
// since the server still holds them.
func base64Used(files []fileEntry) int {
	total := 0
	for _, f := range files {
		if f.Content != "" {
			total += len(f.Content)
		} else {
			total += base64.StdEncoding.EncodedLen(int(f.Size))
		}
	}
	return total
}

// admit checks a file of size bytes against the count and size limits
// before it is read; it returns why it cannot be added, or "".
func admit(files []fileEntry, path string, size int64) string {
	name := filepath.Base(path)
	if len(files)+1 > spec.MaxSandboxFiles {
		return fmt.Sprintf("%d files are already added, the most allowed (%d): remove one to add %s", len(files), spec.MaxSandboxFiles, name)
	}
	if size == 0 {
		return fmt.Sprintf("%s is empty: a sandbox file needs at least one byte of content", name)
	}
	enc := base64.StdEncoding.EncodedLen(int(min(size, int64(spec.MaxFilesBase64)+1)))
	if used := base64Used(files); used+enc > spec.MaxFilesBase64 {
		return fmt.Sprintf("%s is %s (%s as base64): with the %s already added that passes the 10 MiB limit (%s base64 characters); remove or shrink files first",
			name, human.Bytes(size), human.Bytes(int64(enc)), human.Bytes(int64(used)), human.Count(spec.MaxFilesBase64))
	}
	return ""
}

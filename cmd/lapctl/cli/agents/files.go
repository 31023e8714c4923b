package agents

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/human"
	"lapctl/spec"
)

// maxFileBytes is the largest file whose base64 fits the files' total
// limit: 4 base64 characters carry 3 bytes.
const maxFileBytes = spec.MaxFilesBase64 / 4 * 3

// loadFiles reads --file LOCAL:SANDBOX_PATH values into sandbox files.
// Count and size are checked against the spec limits (on top of the
// haveCount files and haveB64 base64 characters the agent already has)
// from the file sizes BEFORE any is read, so a mistyped path to a huge
// file fails at once instead of filling memory.
func loadFiles(who cmdutil.Caller, flag string, vals []string, haveCount, haveB64 int) ([]spec.SandboxFile, error) {
	if len(vals) == 0 {
		return []spec.SandboxFile{}, nil
	}
	if who.Remote {
		return nil, fmt.Errorf("%s: %w", flag, cmdutil.ErrRemote)
	}
	if n := haveCount + len(vals); n > spec.MaxSandboxFiles {
		return nil, spec.Errors{{Field: "sandbox_files", Rule: spec.RuleMaxFiles,
			Message: fmt.Sprintf("%d files in all; at most %d are allowed", n, spec.MaxSandboxFiles)}}
	}
	type pending struct{ local, path string }
	var todo []pending
	total := haveB64
	for _, v := range vals {
		local, path, err := splitFileArg(flag, v)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(local)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, v, err)
		}
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("%s %s: %s is not a regular file", flag, v, local)
		}
		total += base64.StdEncoding.EncodedLen(int(min(info.Size(), int64(maxFileBytes)+1)))
		if info.Size() > int64(maxFileBytes) || total > spec.MaxFilesBase64 {
			return nil, spec.Errors{{Field: "sandbox_files", Rule: spec.RuleMaxTotal,
				Message: fmt.Sprintf("%s (%s) takes the files past the %s base64 characters (%s) allowed in all: shrink or drop files",
					local, human.Bytes(info.Size()), human.Count(spec.MaxFilesBase64), human.Bytes(spec.MaxFilesBase64))}}
		}
		todo = append(todo, pending{local, path})
	}
	files := make([]spec.SandboxFile, 0, len(todo))
	for _, p := range todo {
		data, err := readCapped(p.local, maxFileBytes)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, p.local, err)
		}
		files = append(files, spec.SandboxFile{
			Name:        filepath.Base(p.local),
			SandboxPath: p.path,
			Content:     base64.StdEncoding.EncodeToString(data),
			ContentType: contentType(p.local),
			Size:        int64(len(data)),
		})
	}
	return files, nil
}

// splitFileArg splits LOCAL:SANDBOX_PATH at the last colon that starts a
// sandbox path (/ or ~), so local paths with colons still work.
func splitFileArg(flag, v string) (local, path string, err error) {
	i := max(strings.LastIndex(v, ":/"), strings.LastIndex(v, ":~"))
	if i <= 0 {
		return "", "", cmdutil.FlagErrorf("%s %q: want LOCAL:SANDBOX_PATH with the sandbox path starting with / or ~, e.g. ./notes.md:~/notes.md", flag, v)
	}
	return v[:i], v[i+1:], nil
}

// readCapped reads at most limit bytes, failing if the file grew past
// the size checked before.
func readCapped(path string, limit int) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("file grew past %s while being read", human.Bytes(int64(limit)))
	}
	return data, nil
}

// contentTypes are the types of files agents commonly get, fixed here so
// the result does not depend on the machine's mime database.
var contentTypes = map[string]string{
	".json": "application/json", ".yaml": "application/yaml", ".yml": "application/yaml",
	".toml": "application/toml", ".md": "text/markdown", ".txt": "text/plain",
	".csv": "text/csv", ".html": "text/html", ".xml": "application/xml",
	".py": "text/x-python", ".js": "text/javascript", ".ts": "text/x-typescript",
	".go": "text/x-go", ".sh": "application/x-sh", ".env": "text/plain",
	".ini": "text/plain", ".cfg": "text/plain", ".pdf": "application/pdf",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".zip": "application/zip", ".tar": "application/x-tar", ".gz": "application/gzip",
}

// contentType guesses a file's MIME type from its extension.
func contentType(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		if base, _, err := mime.ParseMediaType(t); err == nil {
			return base
		}
	}
	return spec.DefaultContentType
}

package spec_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"lapctl/spec"
)

func withFiles(files ...spec.SandboxFile) error {
	s := validSpec()
	s.SandboxFiles = files
	return s.Validate()
}

func TestSandboxFilesCount(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{0, true}, {1, true}, {19, true}, {20, true}, {21, false}, {25, false}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			files := make([]spec.SandboxFile, tc.n)
			for i := range files {
				files[i] = fileOf(fmt.Sprintf("f%d", i), fmt.Sprintf("/data/f%d", i), []byte{byte(i)})
			}
			err := withFiles(files...)
			if tc.ok {
				wantValid(t, err)
				return
			}
			e := wantOnly(t, err, "sandbox_files", spec.RuleMaxFiles)
			wantMessage(t, e, fmt.Sprintf("%d files given", tc.n), "at most 20", fmt.Sprintf("remove %d", tc.n-20))
		})
	}
}

func TestSandboxFilesTotalSize(t *testing.T) {
	if spec.MaxFilesBase64 != 10485760 {
		t.Fatalf("MaxFilesBase64 = %d, want 10485760", spec.MaxFilesBase64)
	}
	// Two files whose base64 is exactly the limit in all.
	bigData := bytes.Repeat([]byte("abc"), (spec.MaxFilesBase64-8)/4)
	big := fileOf("big", "/data/big.bin", bigData)
	small := fileOf("small", "/data/small.bin", []byte("xyzxyz"))
	if got := spec.FilesBase64Total([]spec.SandboxFile{big, small}); got != spec.MaxFilesBase64 {
		t.Fatalf("test setup: total %d, want %d", got, spec.MaxFilesBase64)
	}
	wantValid(t, withFiles(big, small))

	// One character more: a line break is part of the base64 text (MIME
	// wrapping) and counts, yet the content stays valid.
	wrapped := small
	wrapped.Content = small.Content[:4] + "\n" + small.Content[4:]
	e := wantOnly(t, withFiles(big, wrapped), "sandbox_files", spec.RuleMaxTotal)
	wantMessage(t, e, "10485761 base64 characters", "the limit is 10485760", "(1 over)")

	// One whole file the size of the limit.
	one := fileOf("one", "~/one.bin", bytes.Repeat([]byte{0xff}, spec.MaxFilesBase64/4*3))
	if len(one.Content) != spec.MaxFilesBase64 {
		t.Fatalf("test setup: %d chars", len(one.Content))
	}
	wantValid(t, withFiles(one))

	// Over the limit by a whole file: refused even though the file itself is fine.
	wantOnly(t, withFiles(one, fileOf("x", "/x", []byte("x"))), "sandbox_files", spec.RuleMaxTotal)

	// The limit applies to patches too.
	wantOnly(t, (&spec.AgentPatch{SandboxFiles: &[]spec.SandboxFile{big, wrapped}}).Validate(), "sandbox_files", spec.RuleMaxTotal)
}

func TestValidateSandboxPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want string // substring of the message; "" means valid
	}{
		{"/etc/app.conf", ""},
		{"/a", ""},
		{"~/notes.md", ""},
		{"~/.config/tool/config.toml", ""},
		{"/data/with space.txt", ""},
		{"", "is required"},
		{"notes.md", `must start with / (absolute) or ~ (home-relative), e.g. ~/notes.md`},
		{"./notes.md", "e.g. ~/notes.md"},
		{"data/x.txt", "e.g. ~/data/x.txt"},
		{" /lead-space", "must start with /"},
		{"/", "names a directory"},
		{"/data/", "names a directory"},
		{"~/dir/", "names a directory"},
		{"~", "names a directory"},
		{"/a\x00b", "NUL"},
	} {
		got := spec.ValidateSandboxPath(tc.path)
		if tc.want == "" && got != "" {
			t.Errorf("ValidateSandboxPath(%q) = %q, want valid", tc.path, got)
		}
		if tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("ValidateSandboxPath(%q) = %q, want it to say %q", tc.path, got, tc.want)
		}
		f := fileOf("f", tc.path, []byte("data"))
		err := withFiles(fileOf("first", "/first", []byte("1")), f)
		if tc.want == "" {
			wantValid(t, err)
		} else {
			e := wantOnly(t, err, "sandbox_files[1].sandbox_path", spec.RulePath)
			if e.Message != got {
				t.Errorf("FieldError message %q, want %q", e.Message, got)
			}
		}
	}
}

func TestSandboxFileFields(t *testing.T) {
	data := []byte("hello, sandbox")
	good := fileOf("greeting", "/data/greeting.txt", data)
	wantValid(t, withFiles(good))

	for _, tc := range []struct {
		desc        string
		mut         func(*spec.SandboxFile)
		field, rule string
		msg         string
	}{
		{"empty name", func(f *spec.SandboxFile) { f.Name = "" }, "name", spec.RuleRequired, "name is required"},
		{"blank name", func(f *spec.SandboxFile) { f.Name = " \t" }, "name", spec.RuleRequired, "name is required"},
		{"empty content", func(f *spec.SandboxFile) { f.Content = ""; f.Size = 0 }, "content", spec.RuleRequired, "base64"},
		{"size one too big", func(f *spec.SandboxFile) { f.Size++ }, "size", spec.RuleSize, "set size to 14"},
		{"size one too small", func(f *spec.SandboxFile) { f.Size-- }, "size", spec.RuleSize, "set size to 14"},
		{"size zero", func(f *spec.SandboxFile) { f.Size = 0 }, "size", spec.RuleSize, "decodes to 14 bytes"},
		{"negative size", func(f *spec.SandboxFile) { f.Size = -1 }, "size", spec.RuleSize, "negative"},
		{"not base64", func(f *spec.SandboxFile) { f.Content = "hello, sandbox" }, "content", spec.RuleBase64, "standard base64"},
		{"url-safe alphabet", func(f *spec.SandboxFile) { f.Content = "-_-_"; f.Size = 3 }, "content", spec.RuleBase64, "standard base64"},
		{"missing padding", func(f *spec.SandboxFile) { f.Content = "YQ"; f.Size = 1 }, "content", spec.RuleBase64, "base64"},
		{"bad length", func(f *spec.SandboxFile) { f.Content = "YWJjZ"; f.Size = 3 }, "content", spec.RuleBase64, "base64"},
		{"padding in the middle", func(f *spec.SandboxFile) { f.Content = "YQ==YQ=="; f.Size = 2 }, "content", spec.RuleBase64, "base64"},
		{"space inside", func(f *spec.SandboxFile) { f.Content = "YWJj YWJj"; f.Size = 6 }, "content", spec.RuleBase64, "base64"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			f := good
			f.SandboxPath = "/data/other.txt" // two files may not share a path
			tc.mut(&f)
			e := wantOnly(t, withFiles(good, f), "sandbox_files[1]."+tc.field, tc.rule)
			wantMessage(t, e, tc.msg)
		})
	}

	t.Run("empty content and negative size both reported", func(t *testing.T) {
		es := fieldErrors(t, withFiles(spec.SandboxFile{Name: "n", SandboxPath: "/n", Size: -5}))
		if len(es) != 2 || es[0].Field != "sandbox_files[0].size" || es[1].Field != "sandbox_files[0].content" {
			t.Fatalf("got %s", describe(es))
		}
	})
	t.Run("content type is free", func(t *testing.T) {
		f := good
		f.ContentType = "text/markdown; charset=utf-8"
		wantValid(t, withFiles(f))
	})
}

func TestSandboxFileMIMEWrappedBase64(t *testing.T) {
	small := bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog. "), 40)
	// Large enough that the wrapped text spans several decoding chunks.
	large := bytes.Repeat([]byte("0123456789abcdef"), 6400)
	for _, data := range [][]byte{small, large} {
		testMIMEWrapped(t, data)
	}
}

func testMIMEWrapped(t *testing.T, data []byte) {
	t.Helper()
	enc := base64.StdEncoding.EncodeToString(data)
	for _, eol := range []string{"\n", "\r\n"} {
		var b strings.Builder
		for i := 0; i < len(enc); i += 76 {
			b.WriteString(enc[i:min(i+76, len(enc))])
			b.WriteString(eol)
		}
		f := spec.SandboxFile{Name: "fox", SandboxPath: "~/fox.txt", Content: b.String(), Size: int64(len(data))}
		wantValid(t, withFiles(f))
		f.Size++
		e := wantOnly(t, withFiles(f), "sandbox_files[0].size", spec.RuleSize)
		wantMessage(t, e, fmt.Sprintf("set size to %d", len(data)))
	}
}

// The decoder works in chunks; sizes around the chunk edges must still
// decode to the exact length.
func TestSandboxFileSizesAcrossChunks(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 12287, 12288, 12289, 12290, 24575, 24576, 24577, 100_001} {
		data := bytes.Repeat([]byte{0xA5}, n)
		f := fileOf("f", "/f", data)
		if err := withFiles(f); err != nil {
			t.Errorf("%d bytes: %v", n, err)
		}
		f.Size = int64(n + 1)
		if e := fieldErrors(t, withFiles(f)).Field("sandbox_files[0].size"); e == nil || e.Rule != spec.RuleSize ||
			!strings.Contains(e.Message, fmt.Sprintf("decodes to %d bytes", n)) {
			t.Errorf("%d bytes, size %d: got %v", n, n+1, e)
		}
	}
	t.Run("padding at the end of a non-final chunk", func(t *testing.T) {
		// 16,384 characters make one chunk; padding there is not the end.
		content := strings.Repeat("QUFB", 4095) + "QQ==" + "QUFB"
		wantOnly(t, withFiles(spec.SandboxFile{Name: "f", SandboxPath: "/f", Content: content, Size: 12289}),
			"sandbox_files[0].content", spec.RuleBase64)
	})
	t.Run("bad byte far in", func(t *testing.T) {
		content := strings.Repeat("QUFB", 5000) + "QU*B"
		e := wantOnly(t, withFiles(spec.SandboxFile{Name: "f", SandboxPath: "/f", Content: content, Size: 15003}),
			"sandbox_files[0].content", spec.RuleBase64)
		wantMessage(t, e, "offset 20002")
	})
}

func TestSandboxFilesInPatchMayKeepContent(t *testing.T) {
	files := []spec.SandboxFile{
		{Name: "kept", SandboxPath: "~/kept.md", Size: 100, ContentType: "text/markdown"},
		fileOf("new", "/new.bin", []byte{1, 2, 3}),
	}
	wantValid(t, (&spec.AgentPatch{SandboxFiles: &files}).Validate())
	// The same list in a create needs the content.
	wantOnly(t, withFiles(files...), "sandbox_files[0].content", spec.RuleRequired)
}

func TestValidateSandboxFilesDirect(t *testing.T) {
	if es := spec.ValidateSandboxFiles(nil, false); len(es) != 0 {
		t.Errorf("nil files: %s", describe(es))
	}
	es := spec.ValidateSandboxFiles([]spec.SandboxFile{{Name: "a", SandboxPath: "/a"}}, true)
	if len(es) != 0 {
		t.Errorf("kept file: %s", describe(es))
	}
	es = spec.ValidateSandboxFiles([]spec.SandboxFile{{Name: "a", SandboxPath: "/a"}}, false)
	if len(es) != 1 || es[0].Field != "sandbox_files[0].content" {
		t.Errorf("missing content: %s", describe(es))
	}
}

// TestDuplicateSandboxPathRefused: a second file at the same sandbox path
// would replace the first in the sandbox; the shared rules refuse it.
func TestDuplicateSandboxPathRefused(t *testing.T) {
	a := fileOf("a", "/data/x.txt", []byte("one"))
	b := fileOf("b", "/data/x.txt", []byte("two"))
	e := wantOnly(t, withFiles(a, b), "sandbox_files[1].sandbox_path", spec.RuleDuplicatePath)
	wantMessage(t, e, "sandbox_files[0]")
}

package spec

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"lapctl/secret"
)

// Limits of the contract.
const (
	MaxEnvVars       = 50
	MaxEnvBytes      = 16384
	MaxSandboxFiles  = 20
	MaxFilesBase64   = 10485760
	MaxPTYInputFrame = 1 << 20
)

// Rules name what a FieldError broke, for programs; Message is for people.
const (
	RuleRequired   = "required"
	RuleNotBlank   = "not_blank"
	RuleKeyPattern = "key_pattern"
	RuleMaxKeys    = "max_keys"
	RuleMaxBytes   = "max_bytes"
	RuleReserved   = "reserved"
	RuleURL        = "url"
	RuleMaxFiles   = "max_files"
	RuleMaxTotal   = "max_total_size"
	RulePath       = "sandbox_path"
	// RuleDuplicatePath: two files may not share a sandbox path (the
	// second would silently replace the first in the sandbox).
	RuleDuplicatePath = "duplicate_sandbox_path"
	RuleBase64        = "base64"
	RuleSize          = "size"
	RuleType          = "type"
	RuleUnknown       = "unknown"
)

// ReservedEnvKeys are env var names the platform sets itself.
var ReservedEnvKeys = []string{
	"REPO_URL", "BRANCH", "LITELLM_API_KEY", "LITELLM_API_BASE",
	"LITELLM_DEFAULT_MODEL", "AGENT_PROMPT", "PORT", "GIT_TOKEN", "AGENT_REQUIREMENTS",
}

var envKeyPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// FieldError is one broken rule: which field, which rule, and what to do.
type FieldError struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Errors is every rule a value broke, in field order.
type Errors []*FieldError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Field returns the first error for field or one of its sub-fields
// (env_vars matches env_vars.FOO), or nil.
func (es Errors) Field(field string) *FieldError {
	for _, e := range es {
		if e.Field == field || strings.HasPrefix(e.Field, field+".") || strings.HasPrefix(e.Field, field+"[") {
			return e
		}
	}
	return nil
}

func fieldErr(field, rule, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// Validate checks a create body against every rule of the contract that
// needs no server state (skill ownership and registered harness aliases are
// the server's to check). It returns Errors, or nil.
func (s *AgentSpec) Validate() error {
	var es Errors
	if strings.TrimSpace(s.Name) == "" {
		es = append(es, fieldErr("name", RuleRequired, "name is required: give the agent a non-blank name"))
	}
	if strings.TrimSpace(s.OwnerID) == "" {
		es = append(es, fieldErr("owner_id", RuleRequired, "owner_id is required: set the owner (e.g. lapctl login sets a default)"))
	}
	es = append(es, validateOptional(s.Runtime, s.Tools, s.RepoURL)...)
	es = append(es, ValidateEnvVars("env_vars", s.EnvVars)...)
	es = append(es, ValidateSandboxFiles(s.SandboxFiles, false)...)
	es = append(es, agentLimits(s)...)
	return es.Err()
}

// Validate checks the fields a patch sets, by the create rules. A sandbox
// file with empty content is allowed: it keeps the stored content.
func (p *AgentPatch) Validate() error {
	var es Errors
	if p.Name != nil && strings.TrimSpace(*p.Name) == "" {
		es = append(es, fieldErr("name", RuleNotBlank, "name cannot be blank: give the agent a name or leave it unchanged"))
	}
	if p.OwnerID != nil && strings.TrimSpace(*p.OwnerID) == "" {
		es = append(es, fieldErr("owner_id", RuleNotBlank, "owner_id cannot be blank: give an owner or leave it unchanged"))
	}
	var tools json.RawMessage
	if p.Tools != nil {
		tools = *p.Tools
	}
	var repo string
	if p.RepoURL != nil {
		repo = *p.RepoURL
	}
	es = append(es, validateOptional(p.Runtime, tools, repo)...)
	if p.EnvVars != nil {
		es = append(es, ValidateEnvVars("env_vars", *p.EnvVars)...)
	}
	if p.SandboxFiles != nil {
		es = append(es, ValidateSandboxFiles(*p.SandboxFiles, true)...)
	}
	es = append(es, patchLimits(p)...)
	return es.Err()
}

func validateOptional(runtime *string, tools json.RawMessage, repoURL string) Errors {
	var es Errors
	if runtime != nil && strings.TrimSpace(*runtime) == "" {
		es = append(es, fieldErr("runtime", RuleNotBlank, "runtime, when given, cannot be blank: omit it or name a runtime (lapctl runtimes lists them)"))
	}
	if t := bytes.TrimSpace(tools); len(t) > 0 && !bytes.Equal(t, []byte("null")) && t[0] != '[' && t[0] != '{' {
		es = append(es, fieldErr("tools", RuleType, "tools must be a JSON array or object"))
	}
	if e := ValidateRepoURL(repoURL); e != nil {
		es = append(es, e)
	}
	return es
}

// Validate checks a session body: agent_id is required and its env vars
// follow the agent env var rules.
func (s *SessionSpec) Validate() error {
	var es Errors
	if strings.TrimSpace(s.AgentID) == "" {
		es = append(es, fieldErr("agent_id", RuleRequired, "agent_id is required: name the agent to start a session of"))
	}
	if s.Environment != nil {
		if e := ValidateRepoURL(s.Environment.Repository); e != nil {
			e.Field = "environment.repository"
			e.Message = strings.Replace(e.Message, "repo_url", "environment.repository", 1)
			es = append(es, e)
		}
	}
	es = append(es, ValidateEnvVars("env_vars", s.EnvVars)...)
	es = append(es, sessionLimits(s)...)
	return es.Err()
}

// Validate checks a skill body.
func (s *SkillSpec) Validate() error {
	var es Errors
	if strings.TrimSpace(s.Name) == "" {
		es = append(es, fieldErr("name", RuleRequired, "name is required: give the skill a non-blank name"))
	}
	if strings.TrimSpace(s.Content) == "" {
		es = append(es, fieldErr("content", RuleRequired, "content is required: the skill's instructions cannot be empty"))
	}
	es = append(es, skillLimits(&s.Name, &s.Description, &s.Content)...)
	return es.Err()
}

// Validate checks the fields a skill patch sets.
func (p *SkillPatch) Validate() error {
	var es Errors
	if p.Name != nil && strings.TrimSpace(*p.Name) == "" {
		es = append(es, fieldErr("name", RuleNotBlank, "name cannot be blank: give the skill a name or leave it unchanged"))
	}
	if p.Content != nil && strings.TrimSpace(*p.Content) == "" {
		es = append(es, fieldErr("content", RuleNotBlank, "content cannot be empty: give the skill's instructions or leave them unchanged"))
	}
	es = append(es, skillLimits(p.Name, p.Description, p.Content)...)
	return es.Err()
}

// ValidateEnvKey checks one env var name: the pattern and the reserved
// names. field is the name of the map, e.g. "env_vars".
func ValidateEnvKey(field, key string) *FieldError {
	f := field + "." + key
	if !envKeyPattern.MatchString(key) {
		return fieldErr(f, RuleKeyPattern,
			"env var name %q is invalid: start with a letter or _, then use only letters, digits and _ (^[A-Za-z_][A-Za-z0-9_]*$)", key)
	}
	if slices.Contains(ReservedEnvKeys, key) {
		if key == "GIT_TOKEN" {
			return fieldErr(f, RuleReserved,
				"GIT_TOKEN is reserved: the harness erases it after cloning; put a token the agent must keep in GITHUB_TOKEN or GH_TOKEN")
		}
		return fieldErr(f, RuleReserved, "env var name %s is reserved by the platform, which sets it itself; choose another name", key)
	}
	return nil
}

// EnvJSONSize is the size of env encoded as compact JSON with UTF-8 kept
// as is and no HTML escaping, the way the platform measures it.
func EnvJSONSize(env map[string]string) int {
	if len(env) == 0 {
		return 0
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(env)  // a map[string]string always encodes
	return buf.Len() - 1 // Encode appends a newline
}

// ValidateEnvVars checks an env var map: each key, the key count and the
// encoded size. Keys are reported in sorted order.
func ValidateEnvVars(field string, env map[string]string) Errors {
	if len(env) == 0 {
		return nil
	}
	var es Errors
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if e := ValidateEnvKey(field, k); e != nil {
			es = append(es, e)
		}
	}
	if n := len(env); n > MaxEnvVars {
		es = append(es, fieldErr(field, RuleMaxKeys, "%d env vars given; at most %d are allowed: remove %d", n, MaxEnvVars, n-MaxEnvVars))
	}
	if size := EnvJSONSize(env); size > MaxEnvBytes {
		es = append(es, fieldErr(field, RuleMaxBytes,
			"env vars take %d bytes JSON-encoded; the limit is %d: shorten or remove values (%d bytes over)", size, MaxEnvBytes, size-MaxEnvBytes))
	}
	return es
}

var scpLikeURL = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$`)

// ValidateRepoURL checks repo_url: empty (no repo), an http(s), ssh or git
// URL with a host and a path, or an scp-like ssh address (git@host:org/repo).
func ValidateRepoURL(raw string) *FieldError {
	if raw == "" {
		return nil
	}
	if ok := validRepoURL(raw); ok {
		return nil
	}
	return fieldErr("repo_url", RuleURL,
		"repo_url %q is not a valid git URL: use https://host/org/repo(.git) or an ssh address such as git@host:org/repo.git", secret.MaskURLs(raw))
}

func validRepoURL(raw string) bool {
	if strings.ContainsAny(raw, " \t\r\n") {
		return false
	}
	if scpLikeURL.MatchString(raw) && !strings.Contains(raw, "://") {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "https", "http", "ssh", "git", "git+ssh", "ssh+git":
	default:
		return false
	}
	return u.Host != "" && strings.Trim(u.Path, "/") != ""
}

// FilesBase64Total is the total base64 size of the files' content.
func FilesBase64Total(files []SandboxFile) int {
	total := 0
	for _, f := range files {
		total += len(f.Content)
	}
	return total
}

// ValidateSandboxPath checks one sandbox path and returns what is wrong
// with it, or "".
func ValidateSandboxPath(p string) string {
	switch {
	case p == "":
		return "sandbox_path is required: give the path in the sandbox, starting with / or ~ (e.g. ~/notes.md)"
	case !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "~"):
		return fmt.Sprintf("sandbox_path %q must start with / (absolute) or ~ (home-relative), e.g. ~/%s", p, strings.TrimLeft(p, "./"))
	case strings.ContainsRune(p, 0):
		return "sandbox_path cannot contain a NUL byte"
	case strings.HasSuffix(p, "/") || p == "~":
		return fmt.Sprintf("sandbox_path %q names a directory: add the file name", p)
	case slices.Contains(strings.Split(p, "/"), ".."):
		return fmt.Sprintf("sandbox_path %q contains a .. segment: name the file by a path without .. (files stay inside the sandbox)", p)
	}
	return ""
}

// ValidateSandboxFiles checks the files' count, total size and each entry.
// With keepAllowed (a patch), empty content means "keep the stored file"
// and skips the content checks for that entry.
func ValidateSandboxFiles(files []SandboxFile, keepAllowed bool) Errors {
	var es Errors
	if n := len(files); n > MaxSandboxFiles {
		es = append(es, fieldErr("sandbox_files", RuleMaxFiles, "%d files given; at most %d are allowed: remove %d", n, MaxSandboxFiles, n-MaxSandboxFiles))
	}
	if total := FilesBase64Total(files); total > MaxFilesBase64 {
		es = append(es, fieldErr("sandbox_files", RuleMaxTotal,
			"files take %d base64 characters in all; the limit is %d (10 MiB): remove or shrink files (%d over)", total, MaxFilesBase64, total-MaxFilesBase64))
	}
	first := map[string]int{} // sandbox path → index of its first file
	for i, f := range files {
		es = append(es, validateSandboxFile(i, f, keepAllowed)...)
		if f.SandboxPath == "" {
			continue
		}
		if j, dup := first[f.SandboxPath]; dup {
			es = append(es, fieldErr(fmt.Sprintf("sandbox_files[%d].sandbox_path", i), RuleDuplicatePath,
				"%s is also the path of sandbox_files[%d]: each file needs its own sandbox path", f.SandboxPath, j))
			continue
		}
		first[f.SandboxPath] = i
	}
	return es
}

func validateSandboxFile(i int, f SandboxFile, keepAllowed bool) Errors {
	var es Errors
	at := func(sub string) string { return fmt.Sprintf("sandbox_files[%d].%s", i, sub) }
	if strings.TrimSpace(f.Name) == "" {
		es = append(es, fieldErr(at("name"), RuleRequired, "file name is required: give the file a display name"))
	}
	if msg := ValidateSandboxPath(f.SandboxPath); msg != "" {
		es = append(es, fieldErr(at("sandbox_path"), RulePath, "%s", msg))
	}
	if f.Size < 0 {
		es = append(es, fieldErr(at("size"), RuleSize, "size %d is negative: give the file's size in bytes", f.Size))
	}
	if f.Content == "" {
		if !keepAllowed {
			es = append(es, fieldErr(at("content"), RuleRequired, "content is required: give the file's bytes, base64-encoded"))
		}
		return es
	}
	n, err := decodedLen(f.Content)
	if err != nil {
		return append(es, fieldErr(at("content"), RuleBase64, "content is not valid base64 (%v): encode the file with standard base64", err))
	}
	if int64(n) != f.Size && f.Size >= 0 {
		es = append(es, fieldErr(at("size"), RuleSize, "size is %d but the content decodes to %d bytes: set size to %d", f.Size, n, n))
	}
	return es
}

// decodedLen validates standard base64 and returns the decoded length,
// decoding in chunks so a 10 MiB file costs no 7.5 MiB buffer.
func decodedLen(s string) (int, error) {
	const chunk = 4 * 4096
	var buf [3 * 4096]byte
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r", "", "\n", "").Replace(s) // MIME-wrapped base64
	}
	total := 0
	for off := 0; off < len(s); off += chunk {
		end := min(off+chunk, len(s))
		n, err := base64.StdEncoding.Decode(buf[:], []byte(s[off:end]))
		if err != nil {
			if ce, ok := err.(base64.CorruptInputError); ok {
				return 0, fmt.Errorf("bad byte at offset %d", off+int(ce))
			}
			return 0, err
		}
		if end < len(s) && strings.Contains(s[off:end], "=") {
			return 0, fmt.Errorf("padding before the end at offset %d", off+strings.Index(s[off:end], "="))
		}
		total += n
	}
	return total, nil
}

// Normalize fills the defaults the contract names: branch main when a repo
// is given, and the default content type of files.
func (s *AgentSpec) Normalize() {
	if s.RepoURL != "" && s.Branch == "" {
		s.Branch = DefaultBranch
	}
	for i := range s.SandboxFiles {
		if s.SandboxFiles[i].ContentType == "" {
			s.SandboxFiles[i].ContentType = DefaultContentType
		}
	}
}

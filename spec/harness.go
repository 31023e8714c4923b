package spec

// Harness kinds: API harnesses take messages, TUI harnesses expose a PTY.
const (
	KindAPI = "api"
	KindTUI = "tui"
)

// Harness is a built-in harness ([ext] GET /api/harnesses).
type Harness struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Available   bool   `json:"available"`
}

// IsTUI reports whether sessions of this harness are attached over a PTY.
func (h Harness) IsTUI() bool { return h.Kind == KindTUI }

// BuiltinHarnesses returns the four harnesses the platform documents, in
// its order. Clients fall back to this list when the server lacks
// /api/harnesses.
func BuiltinHarnesses() []Harness {
	return []Harness{
		{ID: "opencode", Name: "opencode", Kind: KindAPI, Description: "opencode in server mode", Available: true},
		{ID: "claude-agent-sdk", Name: "Claude Agent SDK", Kind: KindAPI, Description: "Anthropic Claude Agent SDK", Available: true},
		{ID: "claude-code", Name: "Claude Code", Kind: KindTUI, Description: "Claude Code CLI with PTY", Available: true},
		{ID: "codex", Name: "Codex", Kind: KindTUI, Description: "OpenAI Codex CLI with PTY", Available: true},
	}
}

// BuiltinHarness looks a built-in harness up by id.
func BuiltinHarness(id string) (Harness, bool) {
	for _, h := range BuiltinHarnesses() {
		if h.ID == id {
			return h, true
		}
	}
	return Harness{}, false
}

// HarnessKind returns the kind of a harness id: a built-in's own kind, and
// API for anything else, since registered aliases are all API-type.
func HarnessKind(id string) string {
	if h, ok := BuiltinHarness(id); ok {
		return h.Kind
	}
	return KindAPI
}

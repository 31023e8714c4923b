package client

import (
	"encoding/json"
	"fmt"

	"lapctl/spec"
)

// decodeAgent decodes one agent in the lapctl shape, keeping the raw
// object. A server that omits supports_tui gets the contract's answer
// for its harness, so callers need no harness table.
func decodeAgent(raw json.RawMessage) (spec.Agent, error) {
	var a spec.Agent
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("unexpected agent object: %w", err)
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) == nil {
		if _, said := keys["supports_tui"]; !said {
			a.SupportsTUI = spec.HarnessKind(a.Harness) == spec.KindTUI
		}
	}
	a.Raw = raw
	return a, nil
}

// decodeSession decodes one session in the lapctl/gateway shape.
func decodeSession(raw json.RawMessage) (spec.Session, error) {
	var s spec.Session
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("unexpected session object: %w", err)
	}
	s.Raw = raw
	return s, nil
}

func decodeEach[T any](raws []json.RawMessage, one func(json.RawMessage) (T, error)) ([]T, error) {
	out := make([]T, 0, len(raws))
	for _, r := range raws {
		v, err := one(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func boolPtr(b bool) *bool { return &b }

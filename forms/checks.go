package forms

import (
	"errors"
	"strings"

	"lapctl/spec"
)

// ruleErr is a spec rule's message as an error, without the field prefix
// FieldError.Error adds: the form shows it next to the field already.
type ruleErr string

func (e ruleErr) Error() string { return string(e) }

// specRule runs the spec's whole-agent check on s and returns its message
// for field, if any. The single-field checks below build an s holding
// just that field, so no rule is written twice.
func specRule(s spec.AgentSpec, field string) error {
	var es spec.Errors
	if errors.As(s.Validate(), &es) {
		if fe := es.Field(field); fe != nil {
			return ruleErr(fe.Message)
		}
	}
	return nil
}

func checkName(v string) error  { return specRule(spec.AgentSpec{Name: v}, "name") }
func checkOwner(v string) error { return specRule(spec.AgentSpec{OwnerID: v}, "owner_id") }

func checkRepoURL(v string) error {
	if fe := spec.ValidateRepoURL(strings.TrimSpace(v)); fe != nil {
		return ruleErr(fe.Message)
	}
	return nil
}

func checkSandboxPath(v string) error {
	if msg := spec.ValidateSandboxPath(v); msg != "" {
		return ruleErr(msg)
	}
	return nil
}

func checkEnvKey(k string) error {
	if fe := spec.ValidateEnvKey("env_vars", k); fe != nil {
		return ruleErr(fe.Message)
	}
	return nil
}

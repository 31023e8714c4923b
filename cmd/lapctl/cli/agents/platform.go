package agents

import (
	"context"
	"fmt"
	"strings"

	"lapctl/client"
	"lapctl/iostreams"
)

// refuseUnstored stops a create or edit that sets fields the platform
// would drop, before anything is sent, unless --allow-drop; with it, it
// says what will be lost.
func refuseUnstored(ctx context.Context, ios *iostreams.IOStreams, c *client.Client, fields []string, edit, allowDrop bool) error {
	if len(fields) == 0 {
		return nil
	}
	p := c.Platform()
	named := make([]string, len(fields))
	for i, f := range fields {
		named[i] = withFlag(f)
	}
	if !allowDrop {
		return &client.DroppedFieldsError{Platform: p, Fields: named, Edit: edit}
	}
	fields = named
	fmt.Fprintf(ios.ErrOut, "warning: the %s platform does not store %s: sending anyway (--allow-drop)\n", p, strings.Join(fields, ", "))
	return nil
}

// detect learns the platform before a write, so its capabilities apply.
func detect(ctx context.Context, c *client.Client) (client.Capabilities, error) {
	p, err := c.Detect(ctx)
	if p == client.PlatformUnknown {
		return client.Capabilities{}, err
	}
	return client.CapabilitiesOf(p), nil
}

// warnLosses prints one warning line per field the server did not keep.
func warnLosses(ios *iostreams.IOStreams, p client.Platform, losses []client.FieldLoss) {
	for _, l := range losses {
		fmt.Fprintf(ios.ErrOut, "warning: the %s server did not keep %s\n", p, l)
	}
}

// fieldFlags names the flag that sets each agent field.
var fieldFlags = map[string]string{
	"name": "--name", "owner_id": "--owner", "model": "--model", "system": "--system", "prompt": "--prompt",
	"description": "--description", "runtime": "--runtime", "harness": "--harness", "config": "--config",
	"tools": "--tools", "requirements": "--requirements", "repo_url": "--repo-url", "branch": "--branch",
	"mcp_servers": "--mcp", "allow_out": "--allow-out", "deny_out": "--deny-out", "env_vars": "--env",
	"skill_ids": "--skill", "sandbox_files": "--file",
}

// withFlag shows a field with its flag: "repo_url (--repo-url)".
func withFlag(field string) string {
	name, value, _ := strings.Cut(field, "=")
	f, ok := fieldFlags[name]
	if !ok {
		return field
	}
	if value != "" {
		return fmt.Sprintf("%s %s (%s)", f, value, name)
	}
	return fmt.Sprintf("%s (%s)", name, f)
}

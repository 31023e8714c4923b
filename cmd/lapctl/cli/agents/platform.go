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
	if !allowDrop {
		return &client.DroppedFieldsError{Platform: p, Fields: fields, Edit: edit}
	}
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

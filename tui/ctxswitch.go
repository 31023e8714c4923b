package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/config"
	"lapctl/tui/common"
)

// ContextSwitcher is Options.SwitchContext for a console on this
// machine: the named context as the config saves it (URL, key, owner,
// platform; the flags and environment chose only the first endpoint),
// with its client made by build (the caller's, which knows the platform
// cache). Leave SwitchContext nil where the connection is fixed, as over
// SSH: the server host's saved keys are not the remote user's.
func ContextSwitcher(cfg *config.Config, build func(config.Endpoint) (*client.Client, error)) func(string) (*client.Client, config.Endpoint, error) {
	return func(name string) (*client.Client, config.Endpoint, error) {
		if cfg.Context(name) == nil {
			return nil, config.Endpoint{}, fmt.Errorf("no context named %q", name)
		}
		ep, err := cfg.Resolve(config.Overrides{Context: name}, func(string) string { return "" })
		if err != nil {
			return nil, config.Endpoint{}, err
		}
		c, err := build(ep)
		if err != nil {
			return nil, config.Endpoint{}, err
		}
		return c, ep, nil
	}
}

// contextNames are the saved contexts `:ctx` offers: none when switching
// is not allowed here.
func (m *Model) contextNames() []string {
	if m.opts.SwitchContext == nil || m.opts.Config == nil {
		return nil
	}
	return m.opts.Config.ContextNames()
}

// ctxCommand runs `:ctx [NAME]`: without a name it lists the contexts;
// with one it switches to it, or says why not and changes nothing.
func (m *Model) ctxCommand(args []string) tea.Cmd {
	if m.opts.SwitchContext == nil {
		return m.flash(common.LevelWarning, "contexts cannot be switched in this console: its platform connection is fixed by its operator")
	}
	names := m.contextNames()
	if len(names) == 0 {
		return m.flash(common.LevelWarning, "no saved contexts: add one with lapctl login --context NAME")
	}
	inUse, _ := m.endpointInUse()
	if len(args) == 0 {
		listed := make([]string, len(names))
		for i, n := range names {
			listed[i] = n
			if n == inUse {
				listed[i] = n + " (in use)"
			}
		}
		return m.flash(common.LevelInfo, "contexts: %s; switch with :ctx NAME", strings.Join(listed, ", "))
	}
	name := args[0]
	if len(args) > 1 {
		return m.flash(common.LevelError, ":ctx takes one context name, got %d words", len(args))
	}
	if !slices.Contains(names, name) {
		return m.flash(common.LevelError, "no context named %q (contexts: %s)", name, strings.Join(names, ", "))
	}
	if name == inUse {
		return m.flash(common.LevelInfo, "already using context %s", name)
	}
	c, ep, err := m.opts.SwitchContext(name)
	if err != nil {
		m.setStatus(common.StatusMsg{Text: common.ErrorText("switch to context "+name, err), Level: common.LevelError}, err)
		return nil
	}
	return m.useEndpoint(c, ep)
}

func (m *Model) flash(level common.Level, format string, args ...any) tea.Cmd {
	m.setStatus(common.StatusMsg{Text: fmt.Sprintf(format, args...), Level: level}, nil)
	return nil
}

// useEndpoint makes the console talk to c: the old generation's requests
// are cancelled and its messages dropped, the pages are built afresh on
// the page that was showing, and the header starts checking again.
func (m *Model) useEndpoint(c *client.Client, ep config.Endpoint) tea.Cmd {
	if d, ok := m.pages[m.active].(deactivator); ok {
		d.Deactivate()
	}
	m.cancelGen()
	m.gen.Add(1)
	ctx, cancel := context.WithCancel(m.rootCtx)
	m.cancelGen = cancel
	m.opts.Client, m.opts.Endpoint = c, ep
	m.common.Ctx, m.common.Client = ctx, c
	m.common.OwnerID, m.common.DefaultModel = ep.OwnerID, ep.DefaultModel
	m.buildPages()
	m.health = health{seq: m.health.seq + 1}
	m.ageing = false // its tick belonged to the old generation
	m.raw = nil
	m.layout()
	name, url := m.endpointInUse()
	m.setStatus(common.StatusMsg{Text: fmt.Sprintf("using context %s (%s)", name, url), Level: common.LevelSuccess}, nil)
	return m.load()
}

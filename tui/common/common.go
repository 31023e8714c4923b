// Package common holds what every console component shares: the
// dependencies (client, styles, keys, attach), the Component interface,
// the typed messages components exchange through the root, and small
// formatting helpers.
package common

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/spec"
	"lapctl/tui/keymap"
	"lapctl/tui/styles"
)

// Component is one piece of the screen: a model that draws itself (as a
// string: only the root builds the program's tea.View) at the size it is
// given and lists its keys for the footer.
type Component interface {
	Init() tea.Cmd
	Update(tea.Msg) (Component, tea.Cmd)
	View() string
	help.KeyMap
	SetSize(width, height int)
}

// Page is a top-level screen (Agents, Sessions, Skills).
type Page interface {
	Component
	// Title is the page's tab label.
	Title() string
	// Activate is called when the page becomes the visible one; it
	// returns the page's refresh, if any.
	Activate() tea.Cmd
	// Capturing reports that the page is taking text (a filter, a form,
	// a text area), so the root must not treat keys as global shortcuts.
	Capturing() bool
}

// AttachFunc turns a session into the interactive command tea.Exec runs.
type AttachFunc func(sess *spec.Session) (tea.ExecCommand, error)

// Common is embedded (by value) in every component; the pointers are
// shared, the size is each component's own.
type Common struct {
	Ctx          context.Context
	Client       *client.Client
	Styles       *styles.Styles
	Keys         *keymap.KeyMap
	OwnerID      string
	DefaultModel string
	// Scope limits what the pages list and act on (see tui.Options).
	Scope client.Scope
	// Theme names the assets theme (the builder builds its own styles
	// from it and the background in Styles).
	Theme string
	// Now is the clock for relative times; tests freeze it.
	Now func() time.Time
	// Getenv reads the console's environment ($EDITOR): the SSH
	// session's over SSH.
	Getenv func(string) string
	Width  int
	Height int
}

// SetSize records the component's size.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = width, height
}

// ReadOnly reports whether destructive actions are refused.
func (c Common) ReadOnly() bool { return c.Keys.ReadOnly() }

// Context returns the console's context (cancelled when it quits).
func (c Common) Context() context.Context {
	if c.Ctx == nil {
		return context.Background()
	}
	return c.Ctx
}

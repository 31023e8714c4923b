package tui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lapctl/client"
	"lapctl/config"
)

// DefaultHealthInterval is how often the header checks the server.
const DefaultHealthInterval = 10 * time.Second

// HealthMsg is the result of one GET /health.
type HealthMsg struct {
	Seq int
	Err error
}

// HealthTickMsg schedules the next health check.
type HealthTickMsg struct{ Seq int }

// health is the header's server dot: unknown until the first check.
type health struct {
	seq     int
	checked bool
	err     error
}

func healthCmd(ctx context.Context, c *client.Client, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return HealthMsg{Seq: seq, Err: c.Health(ctx)}
	}
}

func healthTick(d time.Duration, seq int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return HealthTickMsg{Seq: seq} })
}

// headerView is two lines: who and where (context, server, health,
// user), then the page tabs.
func (m *Model) headerView() string {
	st := m.common.Styles
	sep := st.Header.Sep.Render(" │ ")
	parts := []string{st.Header.Brand.Render("lapctl")}
	ctxName, url := m.endpointInUse()
	if ctxName != "" {
		parts = append(parts, st.Header.Label.Render("ctx ")+st.Header.Value.Render(ctxName))
	}
	parts = append(parts, st.Header.Value.Render(url))
	if m.opts.Client != nil {
		if p := m.opts.Client.Platform(); p != "" {
			parts = append(parts, st.Header.Label.Render("platform ")+st.Header.Value.Render(string(p)))
		}
	}
	switch {
	case !m.health.checked:
		parts = append(parts, st.Header.HealthNA.Render("○ checking"))
	case m.health.err != nil:
		parts = append(parts, st.Header.HealthNo.Render("● down"))
	default:
		parts = append(parts, st.Header.HealthOK.Render("● ok"))
	}
	// Read-only comes before who and how fresh: a narrow header cuts
	// from the right, and this must never be cut.
	if m.common.ReadOnly() {
		parts = append(parts, st.Status.Warning.Render("read-only"))
	}
	// The refreshed mark is the first thing a narrow header gives up:
	// where and who matter more than how fresh.
	ageAt := len(parts)
	if r := m.RefreshedText(); r != "" {
		parts = append(parts, st.Header.Label.Render(r))
	}
	if m.opts.User != "" {
		parts = append(parts, st.Header.Label.Render("user ")+st.Header.Value.Render(m.opts.User))
	}
	// What the console creates is owned by the context's owner, who is not
	// always the one at the keyboard (lapctl local's owner is local-user).
	if o := m.opts.Endpoint.OwnerID; o != "" && o != m.opts.User {
		parts = append(parts, st.Header.Label.Render("owner ")+st.Header.Value.Render(o))
	}
	line := " " + strings.Join(parts, sep)
	if lipgloss.Width(line) > m.width && m.RefreshedText() != "" {
		line = " " + strings.Join(append(parts[:ageAt:ageAt], parts[ageAt+1:]...), sep)
	}

	k := m.common.Keys
	keys := []string{k.Agents.Help().Key, k.Sessions.Help().Key, k.Skills.Help().Key}
	tabs := make([]string, len(m.pages))
	for i, p := range m.pages {
		label := " " + keys[i] + " " + p.Title() + " "
		if i == int(m.active) {
			// Brackets mark the current tab without colour (NO_COLOR).
			tabs[i] = st.Tabs.Active.Render("[" + keys[i] + " " + p.Title() + "]")
		} else {
			tabs[i] = st.Tabs.Inactive.Render(label)
		}
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		truncate(line, m.width),
		truncate(strings.Join(tabs, " "), m.width),
	)
}

// endpointInUse is the context name and URL the console really talks to.
// A context is named only when its URL is the one in use: a flag or
// $LITELLM_API_BASE, or a client pointed elsewhere (a local server on
// another port), is not the saved context, unless the config's context
// of that name is saved with that very URL (`lapctl local` points its
// client at the server it runs and records it as the local context). An
// endpoint built by hand (no BaseURLFrom: tests, the SSH console) is
// shown as given.
func (m *Model) endpointInUse() (ctxName, url string) {
	ep := m.opts.Endpoint
	url = ep.BaseURL
	inUse := ""
	if m.opts.Client != nil {
		inUse = m.opts.Client.BaseURL()
	}
	if url == "" {
		url = inUse
	}
	if inUse == "" {
		inUse = url
	}
	switch {
	case ep.BaseURLFrom == "":
		return ep.Context, url
	case m.savedAt(ep.Context, inUse):
		return ep.Context, inUse
	case ep.BaseURLFrom == config.FromFlag || ep.BaseURLFrom == config.FromEnv:
		return "", url
	case !sameURL(ep.BaseURL, inUse):
		return "", inUse
	}
	return ep.Context, url
}

// savedAt reports whether the config holds context name with URL url.
func (m *Model) savedAt(name, url string) bool {
	if name == "" || m.opts.Config == nil {
		return false
	}
	c := m.opts.Config.Context(name)
	return c != nil && sameURL(c.BaseURL, url)
}

func sameURL(a, b string) bool {
	return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}

package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"lapctl/assets"
	"lapctl/tui/common"
	"lapctl/tui/keymap"
	"lapctl/tui/pages/agents"
	"lapctl/tui/pages/sessions"
	"lapctl/tui/pages/skills"
	"lapctl/tui/styles"
)

// Model is the console's root: it owns the header, the status line and
// the help footer, routes keys to the visible page and every other
// message to all pages (a page's fetch may finish while another shows).
type Model struct {
	opts     Options
	common   common.Common
	pages    []common.Page
	agents   *agents.Page
	sessions *sessions.Page
	skills   *skills.Page
	active   common.PageID
	health   health
	help     help.Model
	fullHelp bool
	status   common.StatusMsg
	// statusUnreachable marks a flash saying the server did not answer.
	statusUnreachable bool
	// refreshed is when each page's data last arrived.
	refreshed map[common.PageID]time.Time
	ageing    bool // a refreshedTickMsg is pending
	raw       *rawView
	bar       *cmdBar
	attach    common.AttachFunc
	attached  bool
	// gen is the generation of the pages (see generation.go); rootCtx
	// the console's context, of which each generation's is a child,
	// cancelled when it is replaced.
	gen       atomic.Int64
	rootCtx   context.Context
	cancelGen context.CancelFunc
	width     int
	height    int
}

// headerHeight is the header's two lines; statusHeight the status line.
const (
	headerHeight = 2
	statusHeight = 1
)

func newModel(ctx context.Context, opts Options) *Model {
	var rebind map[string][]string
	theme := ""
	readOnly := opts.ReadOnly
	if cfg := opts.Config; cfg != nil {
		rebind, theme, readOnly = cfg.Keys, cfg.Theme, readOnly || cfg.ReadOnly
	}
	km, keyErr := keymap.New(rebind)
	km.SetReadOnly(readOnly)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	genCtx, cancel := context.WithCancel(ctx)
	c := common.Common{
		Ctx:          genCtx,
		Client:       opts.Client,
		Styles:       styles.New(!opts.LightBackground, assets.MustTheme(theme)),
		Keys:         km,
		OwnerID:      opts.Endpoint.OwnerID,
		Scope:        opts.Scope,
		DefaultModel: opts.Endpoint.DefaultModel,
		Theme:        theme,
		Now:          now,
		Getenv:       getenvOr(opts.Getenv),
	}
	m := &Model{opts: opts, common: c, width: 80, height: 24, rootCtx: ctx, cancelGen: cancel}
	m.buildPages()
	m.help = help.New()
	m.help.Styles = c.Styles.Help
	var warnings []string
	if _, err := assets.Theme(theme); err != nil {
		warnings = append(warnings, "config theme: "+err.Error())
	}
	if keyErr != nil {
		warnings = append(warnings, keyErr.Error())
	}
	if len(warnings) > 0 {
		m.status = common.StatusMsg{Text: strings.Join(warnings, "; "), Level: common.LevelWarning}
	}
	if opts.Client == nil {
		m.status = common.StatusMsg{Text: "no server client configured", Level: common.LevelError}
	}
	m.layout()
	return m
}

// buildPages makes the pages, the attach and the per-page state for
// m.common's client: at start and after each `:ctx`.
func (m *Model) buildPages() {
	c := m.common
	m.agents = agents.New(c)
	m.sessions = sessions.New(c, m.opts.PollInterval)
	m.skills = skills.New(c)
	m.skills.NoEditor = m.opts.NoEditor
	m.pages = []common.Page{m.agents, m.sessions, m.skills}
	m.refreshed = map[common.PageID]time.Time{}
	m.attach = m.opts.Attach
	if m.attach == nil {
		m.attach = defaultAttach(c.Context(), m.opts)
	}
}

// Init implements tea.Model: the terminal's background (asked through
// the program, so nothing reads the terminal behind its back), the first
// health check and the agents.
func (m *Model) Init() tea.Cmd {
	if m.opts.Client == nil {
		return tea.RequestBackgroundColor
	}
	return tea.Batch(tea.RequestBackgroundColor, m.tag(m.load()))
}

// load is a generation's first requests: health, the agents, and the
// visible page's own.
func (m *Model) load() tea.Cmd {
	return tea.Batch(
		healthCmd(m.common.Context(), m.opts.Client, m.health.seq),
		m.agents.Init(),
		m.pages[m.active].Activate(),
	)
}

func (m *Model) healthInterval() time.Duration {
	if m.opts.HealthInterval > 0 {
		return m.opts.HealthInterval
	}
	return DefaultHealthInterval
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if g, ok := msg.(genMsg); ok {
		if g.gen != m.gen.Load() {
			return m, nil
		}
		msg = g.msg
	}
	if _, ok := msg.(refreshedTickMsg); ok {
		m.ageing = false
	}
	cmd := m.update(msg)
	if age := m.keepAgeing(); age != nil {
		cmd = tea.Batch(cmd, age)
	}
	return m, m.tag(cmd)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		m.restyle(msg.IsDark())
		return m.broadcast(msg)
	case refreshedTickMsg:
		return nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case HealthMsg:
		if msg.Seq != m.health.seq {
			return nil
		}
		m.noteOutcome(msg.Err)
		return healthTick(m.healthInterval(), m.health.seq)
	case HealthTickMsg:
		if msg.Seq != m.health.seq {
			return nil
		}
		return healthCmd(m.common.Context(), m.opts.Client, m.health.seq)
	case common.StatusMsg:
		m.setStatus(msg, nil)
		return nil
	case common.ErrorMsg:
		m.setStatus(common.StatusMsg{Text: common.ErrorText(msg.What, msg.Err), Level: common.LevelError}, msg.Err)
		if unreachable(msg.Err) {
			m.health.checked, m.health.err = true, msg.Err
		}
		return nil
	case common.SwitchPageMsg:
		return m.switchTo(msg.Page)
	case common.AttachMsg:
		return m.startAttach(msg)
	case common.AttachDoneMsg:
		m.attached = false
		m.status = attachStatus(msg)
		return tea.Batch(m.broadcast(msg), tea.RequestWindowSize)
	}
	if err, ok := requestOutcome(msg); ok {
		m.noteOutcome(err)
		if page, ok := refreshOf(msg); ok && err == nil {
			m.refreshed[page] = m.common.Now()
		}
	}
	return m.broadcast(msg)
}

// broadcast hands a message to every page.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.pages))
	for _, p := range m.pages {
		_, cmd := p.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	page := m.pages[m.active]
	// ctrl+c quits even from a text field (it is how every terminal
	// program is left), unless the page handles it itself: the agent
	// builder asks before discarding a draft.
	if msg.String() == "ctrl+c" {
		if w, ok := page.(interruptible); !ok || !w.WantsInterrupt() {
			return tea.Quit
		}
	}
	if m.bar != nil {
		return m.onBarKey(msg)
	}
	if m.raw != nil {
		if m.raw.update(msg) {
			m.raw = nil
			m.layout()
		}
		return nil
	}
	if page.Capturing() {
		_, cmd := page.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Command):
		m.bar = newCmdBar(m.contextNames())
		return nil
	case key.Matches(msg, k.CopyID):
		return m.copySelectedID()
	case key.Matches(msg, k.Raw):
		return m.openRaw()
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.fullHelp = !m.fullHelp
		m.layout()
		return nil
	case key.Matches(msg, k.NextPage):
		return m.switchTo((m.active + 1) % common.PageID(len(m.pages)))
	case key.Matches(msg, k.PrevPage):
		return m.switchTo((m.active + common.PageID(len(m.pages)) - 1) % common.PageID(len(m.pages)))
	case key.Matches(msg, k.Agents):
		return m.switchTo(common.PageAgents)
	case key.Matches(msg, k.Sessions):
		return m.switchTo(common.PageSessions)
	case key.Matches(msg, k.Skills):
		return m.switchTo(common.PageSkills)
	}
	_, cmd := page.Update(msg)
	return cmd
}

// interruptible is a page that may take ctrl+c for itself.
type interruptible interface{ WantsInterrupt() bool }

// deactivator is a page that stops background work when hidden.
type deactivator interface{ Deactivate() }

func (m *Model) switchTo(id common.PageID) tea.Cmd {
	if id == m.active {
		return nil
	}
	if d, ok := m.pages[m.active].(deactivator); ok {
		d.Deactivate()
	}
	m.active = id
	m.layout()
	return m.pages[id].Activate()
}

// layout gives each page the room left by the header, status line and
// help footer (which grows when full help is on).
func (m *Model) layout() {
	m.help.SetWidth(m.width)
	h := max(m.height-headerHeight-statusHeight-m.footerHeight(), 3)
	for _, p := range m.pages {
		p.SetSize(m.width, h)
	}
	if m.raw != nil {
		m.raw.setSize(m.width, h)
	}
}

func (m *Model) footerHeight() int {
	return lipgloss.Height(m.footerView())
}

// restyle rebuilds the styles for the background the terminal reported.
// Pages share the Styles pointer; what copied styles (tables, inputs)
// re-applies them when the message is broadcast.
func (m *Model) restyle(dark bool) {
	st := m.common.Styles
	if st.Dark == dark {
		return
	}
	*st = *styles.New(dark, st.Palette)
	m.help.Styles = st.Help
}

// View implements tea.Model: the console in the alternate screen. The
// footer is drawn once per frame; its height sizes the page body.
func (m *Model) View() tea.View {
	page := m.pages[m.active]
	footer := m.footerView()
	h := max(m.height-headerHeight-statusHeight-lipgloss.Height(footer), 3)
	content := page.View()
	if m.raw != nil {
		content = m.raw.view(&m.common)
	}
	body := lipgloss.NewStyle().Height(h).MaxHeight(h).Render(content)
	v := tea.NewView(lipgloss.JoinVertical(lipgloss.Left,
		m.headerView(),
		body,
		m.statusOrBar(),
		footer,
	))
	v.AltScreen = true
	return v
}

func (m *Model) statusView() string {
	st := m.common.Styles
	style := st.Status.Info
	switch m.status.Level {
	case common.LevelSuccess:
		style = st.Status.Success
	case common.LevelWarning:
		style = st.Status.Warning
	case common.LevelError:
		style = st.Status.Error
	}
	return truncate(style.Render(" "+common.OneLine(m.status.Text)), m.width)
}

func (m *Model) footerView() string {
	keys := helpKeys{page: m.pages[m.active], global: m.common.Keys, capturing: m.pages[m.active].Capturing(), full: m.fullHelp}
	view := m.shortHelpView(keys)
	if m.raw != nil {
		view = m.help.ShortHelpView(m.raw.keys())
	}
	if m.bar != nil {
		view = m.help.ShortHelpView(m.bar.keys())
	}
	if m.fullHelp {
		view = m.fullHelpView(keys.FullHelp())
	}
	// bubbles' help overflows its width when even the ellipsis does not
	// fit, so every line is cut here too.
	lines := strings.Split(view, "\n")
	for i := range lines {
		lines[i] = truncate(lines[i], m.width)
	}
	return strings.Join(lines, "\n")
}

// shortHelpView is the one-line help with the global keys (`?`, `q`)
// always shown: the page's keys are cut to the room the globals leave.
func (m *Model) shortHelpView(keys helpKeys) string {
	globals := keys.globals()
	if len(globals) == 0 {
		return m.help.ShortHelpView(keys.page.ShortHelp())
	}
	h := m.help
	h.SetWidth(0)
	tail := h.ShortHelpView(globals)
	sep := h.Styles.ShortSeparator.Render(h.ShortSeparator)
	room := m.width - lipgloss.Width(tail) - lipgloss.Width(sep)
	pageKeys := keys.page.ShortHelp()
	if room <= 1 || len(pageKeys) == 0 {
		return tail
	}
	// bubbles' own cut keeps an item when its ellipsis does not fit, so
	// the page's keys are dropped from the end here until they do.
	for n := len(pageKeys); n > 0; n-- {
		v := h.ShortHelpView(pageKeys[:n])
		if n < len(pageKeys) {
			v += " " + h.Styles.Ellipsis.Render(h.Ellipsis)
		}
		if lipgloss.Width(v) <= room {
			return v + sep + tail
		}
	}
	return tail
}

// fullHelpView lays the help's columns out in as many rows of columns as
// the width needs, rather than dropping the ones that do not fit (the
// global keys come last and would be lost on a narrow terminal).
func (m *Model) fullHelpView(cols [][]key.Binding) string {
	h := m.help
	h.SetWidth(0) // measure unclipped
	var blocks []string
	for start := 0; start < len(cols); {
		end := len(cols)
		for end > start+1 && lipgloss.Width(h.FullHelpView(cols[start:end])) > m.width {
			end--
		}
		blocks = append(blocks, h.FullHelpView(cols[start:end]))
		start = end
	}
	return strings.Join(blocks, "\n")
}

func truncate(s string, w int) string {
	return ansi.Truncate(s, max(w, 1), "…")
}

func (m *Model) statusOrBar() string {
	if m.bar != nil {
		return truncate(m.bar.view(m.width), m.width)
	}
	return m.statusView()
}

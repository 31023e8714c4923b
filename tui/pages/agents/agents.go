// Package agents is the console's Agents page: a table of agents that
// pages through large lists on demand, a server-side (or local) filter,
// a detail view, and the agent actions.
package agents

import (
	"context"
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"lapctl/spec"
	"lapctl/tui/common"
	"lapctl/tui/components/confirm"
	"lapctl/tui/components/picker"
)

type ctxFunc func() context.Context

type mode int

const (
	modeList mode = iota
	modeDetail
	modeBuilder
)

// Page is the Agents page.
type Page struct {
	common.Common
	src       source
	table     table.Model
	filter    textinput.Model
	filtering bool
	mode      mode
	detail    detail
	loadingID string // the agent whose detail is being fetched
	confirm   *confirm.Model
	picker    *picker.Model
	spinner   common.Spinner
	pending   int // actions in flight, for the spinner
	builder   builderState
	loaded    bool
}

// New builds the Agents page; nothing is fetched until Init.
func New(c common.Common) *Page {
	p := &Page{Common: c, detail: newDetail(), confirm: confirm.New(c), picker: picker.New(c), src: source{owner: c.Scope.Owner}}
	p.table = common.NewTable(c, columns(80, 0))
	p.filter = textinput.New()
	p.filter.Prompt = "/ "
	p.filter.Placeholder = "name, id or harness"
	c.Styles.StyleInput(&p.filter, nil)
	p.spinner = common.NewSpinner(c.Styles)
	return p
}

// Title implements common.Page.
func (p *Page) Title() string { return "Agents" }

// Init implements tea.Model: the first page of agents.
func (p *Page) Init() tea.Cmd {
	return p.spinner.Start(p.src.reload(p.Client, p.Context))
}

// Activate implements common.Page. The list is loaded once and then
// changed by our own actions, so switching pages costs no request.
func (p *Page) Activate() tea.Cmd { return nil }

// Capturing implements common.Page.
func (p *Page) Capturing() bool {
	return p.filtering || p.mode == modeBuilder || p.confirm.Active() || p.picker.Active()
}

// WantsInterrupt reports that ctrl+c belongs to the page: the builder
// asks before discarding a draft rather than letting the console quit.
func (p *Page) WantsInterrupt() bool { return p.mode == modeBuilder }

// SetSize implements common.Component.
func (p *Page) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.confirm.SetSize(w, h)
	p.picker.SetSize(w, h)
	p.layOutColumns()
	if len(p.src.trows) > 0 { // an empty SetRows would park the cursor at -1
		p.setRows()
	}
	p.table.SetWidth(w)
	p.table.SetHeight(max(h-p.chromeHeight(), 2))
	p.filter.SetWidth(max(w-4, 10))
	p.detail.setSize(w, max(h-1, 1))
	p.detail.render(p.Styles, p.Now())
	p.builder.setSize(w, h)
}

// chromeHeight is the lines above the table: the title, and the filter
// line while it is open or set.
func (p *Page) chromeHeight() int {
	if p.filtering || p.src.query != "" {
		return 2
	}
	return 1
}

func (p *Page) isBusy() bool {
	return p.src.loading || p.loadingID != "" || p.pending > 0
}

// Update implements tea.Model.
func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if _, ok := msg.(tea.BackgroundColorMsg); ok {
		// The styles were rebuilt; the builder, if open, hears it below.
		common.Restyle(p.Styles, &p.table, &p.spinner)
		p.Styles.StyleInput(&p.filter, nil)
	}
	switch msg := msg.(type) {
	case spinner.TickMsg:
		// The builder's own spinner ticks too: it is not ours, and falls
		// through to the builder below.
		if cmd, ok := p.spinner.OnTick(msg, p.isBusy()); ok {
			return p, cmd
		}
	case PageMsg:
		return p, p.onPage(msg)
	case FilterDebounceMsg:
		if msg.Seq != p.src.filterSeq || p.src.local() {
			return p, nil
		}
		return p, p.spinner.Start(p.src.reload(p.Client, p.Context))
	case DetailMsg:
		return p, p.onDetail(msg)
	case actionStart:
		p.pending++
		return p, p.spinner.Start(msg.cmd)
	case DeletedMsg, StatusChangedMsg, StartedMsg:
		return p, p.onAction(msg)
	case LiveSessionsMsg:
		return p, p.onLiveSessions(msg)
	case common.AgentsChangedMsg:
		return p, p.reload()
	case tea.KeyPressMsg:
		return p, p.onKey(msg)
	}
	if cmd, ok := p.builder.update(p, msg); ok {
		return p, cmd
	}
	if p.filtering {
		// The cursor's blink.
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(msg)
		return p, cmd
	}
	return p, nil
}

func (p *Page) reload() tea.Cmd {
	return p.spinner.Start(p.src.reload(p.Client, p.Context))
}

// onPage takes a page of agents into the table; a page that brings the
// cursor's neighbourhood closer to the end chains the next fetch.
func (p *Page) onPage(msg PageMsg) tea.Cmd {
	selected := p.selectedID()
	if !p.src.apply(msg, p.Now()) {
		return nil
	}
	if msg.Err != nil {
		return common.ErrorCmd("list agents", msg.Err)
	}
	p.loaded = true
	p.setRows()
	if msg.Offset == 0 {
		p.reselect(selected)
	}
	return p.prefetch()
}

// reselect keeps the cursor on the same agent across a reload.
func (p *Page) reselect(id string) {
	if id == "" {
		return
	}
	for i := range p.src.rows {
		if p.src.rows[i].ID == id {
			p.table.SetCursor(i)
			return
		}
	}
}

// prefetch asks for the next page once the cursor is within two screens
// of the last loaded row, so scrolling never waits on the network.
func (p *Page) prefetch() tea.Cmd {
	if len(p.src.rows)-p.table.Cursor() > 2*max(p.table.Height(), 10) {
		return nil
	}
	return p.spinner.Start(p.src.next(p.Client, p.Context))
}

func (p *Page) selected() *spec.Agent {
	if p.mode == modeDetail && p.detail.agent != nil {
		return p.detail.agent
	}
	i := p.table.Cursor()
	if i < 0 || i >= len(p.src.rows) {
		return nil
	}
	a := *p.src.rows[i]
	return &a
}

func (p *Page) selectedID() string {
	if a := p.selected(); a != nil {
		return a.ID
	}
	return ""
}

func (p *Page) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.Keys
	switch {
	case p.mode == modeBuilder:
		cmd, _ := p.builder.update(p, msg)
		return cmd
	case p.confirm.Active():
		return p.confirm.Update(msg)
	case p.picker.Active():
		return p.picker.Update(msg)
	case p.filtering:
		return p.onFilterKey(msg)
	}
	if act, ok := k.Refused(msg, k.New, k.Edit, k.Delete, k.Pause, k.Start, k.Attach); ok {
		return common.Refuse(act)
	}
	if p.mode == modeDetail {
		if cmd, ok := p.onDetailKey(msg); ok {
			return cmd
		}
	} else if cmd, ok := p.onListKey(msg); ok {
		return cmd
	}
	return p.onActionKey(msg)
}

func (p *Page) onListKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.Keys
	switch {
	case key.Matches(msg, k.Filter):
		p.filtering = true
		p.filter.SetValue(p.src.query)
		p.filter.CursorEnd()
		p.SetSize(p.Width, p.Height)
		return p.filter.Focus(), true
	case key.Matches(msg, k.Back):
		if p.src.query == "" {
			return nil, true
		}
		return p.setQuery(""), true
	case key.Matches(msg, k.Sort):
		p.src.sortIdx = (p.src.sortIdx + 1) % len(sortKeys)
		p.src.desc = p.src.sortKey() == "created_at"
		return p.resort(), true
	case key.Matches(msg, k.Reverse):
		p.src.desc = !p.src.desc
		return p.resort(), true
	case key.Matches(msg, k.Refresh):
		return p.reload(), true
	case key.Matches(msg, k.Open):
		a := p.selected()
		if a == nil {
			return nil, true
		}
		return p.openDetail(*a), true
	case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom):
		p.table, _ = p.table.Update(msg)
		return p.prefetch(), true
	}
	return nil, false
}

// resort applies a new sort: locally when the server sent everything,
// else as a new query (the loaded prefix would be wrong in a new order).
func (p *Page) resort() tea.Cmd {
	if p.src.local() {
		p.src.resort(p.Now())
		p.setRows()
		p.table.SetCursor(0)
		return nil
	}
	return p.reload()
}

func (p *Page) onFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case msg.String() == "enter":
		p.filtering = false
		p.filter.Blur()
		p.SetSize(p.Width, p.Height)
		return nil
	case key.Matches(msg, p.Keys.Back):
		p.filtering = false
		p.filter.Blur()
		return p.setQuery("")
	}
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	if p.filter.Value() == p.src.query {
		return cmd
	}
	return tea.Batch(cmd, p.setQuery(p.filter.Value()))
}

// setQuery changes the filter: at once when filtering locally, after a
// pause in typing when the server searches.
func (p *Page) setQuery(q string) tea.Cmd {
	chrome := p.chromeHeight()
	p.src.query = q
	if p.chromeHeight() != chrome {
		p.SetSize(p.Width, p.Height)
	}
	if p.src.local() {
		p.src.refilter()
		p.setRows()
		// Each table call redraws its window of rows: skip the no-op.
		if p.table.Cursor() != 0 {
			p.table.SetCursor(0)
		}
		return nil
	}
	p.src.filterSeq++
	seq := p.src.filterSeq
	if q == "" {
		// Clearing is not typing: no reason to wait.
		return p.reload()
	}
	return tea.Tick(FilterDelay, func(time.Time) tea.Msg { return FilterDebounceMsg{Seq: seq} })
}

// View implements tea.Model.
func (p *Page) View() string {
	switch {
	case p.mode == modeBuilder:
		return p.builder.view()
	case p.confirm.Active():
		return p.confirm.View()
	case p.picker.Active():
		return p.picker.View()
	case p.mode == modeDetail:
		return p.detailView()
	}
	return p.listView()
}

func (p *Page) listView() string {
	st := p.Styles
	out := p.spinner.Heading(st.Title.Render("Agents")+" "+st.Muted.Render(p.countText()), p.isBusy(), p.Width) + "\n"
	if p.filtering {
		out += p.filter.View() + "\n"
	} else if p.src.query != "" {
		out += st.Accent.Render("/ "+p.src.query) + st.Muted.Render("  (esc clears)") + "\n"
	}
	if p.loaded && len(p.src.rows) == 0 {
		return out + p.emptyView()
	}
	return out + p.table.View()
}

func (p *Page) emptyView() string {
	msg := "No agents yet: press " + p.Keys.New.Help().Key + " to create one."
	switch {
	case p.src.query != "":
		msg = fmt.Sprintf("No agent matches %q.", p.src.query)
	case p.ReadOnly():
		msg = "No agents yet."
	}
	return common.EmptyTable(p.Styles, msg)
}

// countText is "120 of 10000 · name ↑": how much is loaded and the sort.
func (p *Page) countText() string {
	arrow := "↑"
	if p.src.desc {
		arrow = "↓"
	}
	n := len(p.src.rows)
	count := fmt.Sprintf("%d", n)
	if p.src.more() {
		count = fmt.Sprintf("%d of %d", n, p.src.total)
	}
	if !p.loaded {
		count = "loading"
	}
	return fmt.Sprintf("%s · sort %s %s", count, sortLabel(p.src.sortKey()), arrow)
}

func sortLabel(k string) string {
	if k == "created_at" {
		return "created"
	}
	return k
}

// setRows hands the table the current rows, fitted to its columns.
func (p *Page) setRows() {
	if p.Width > 0 {
		p.layOutColumns()
	}
	p.table.SetRows(fitRows(p.src.trows, p.table.Columns()))
}

// layOutColumns fits the columns to the page's width and the rows loaded.
// SetColumns renders the table again, so it runs only when widths change.
func (p *Page) layOutColumns() {
	if cols := columns(p.Width, harnessNeed(p.src.loadedRows())); !slices.Equal(cols, p.table.Columns()) {
		p.table.SetColumns(cols)
	}
}

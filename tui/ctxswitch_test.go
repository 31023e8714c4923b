package tui

import (
	"context"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/config"
	"lapctl/internal/apitest"
	"lapctl/internal/gatewayfake"
	"lapctl/spec"
	"lapctl/tui/common"
	"lapctl/tui/pages/agents"
)

// twoContexts is a console on context "test" (the embedded server,
// seeded) whose config also saves "gw" (a gateway fake holding agent
// zeta), with `:ctx` wired as the local console wires it.
func twoContexts(t *testing.T) (Options, *gatewayfake.Server) {
	t.Helper()
	inst, c := startServer(t)
	seedAgents(t, c)
	g := gatewayfake.Start(t, gatewayfake.Options{MasterKey: "mk"})
	if _, err := apitest.NewClient(t, g.URL, "mk").CreateAgent(context.Background(), &spec.AgentSpec{Name: "zeta", OwnerID: "ops", Model: "m", Harness: "claude-code"}); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{CurrentContext: "test", Contexts: map[string]*config.Context{
		"test": {BaseURL: inst.URL, MasterKey: inst.Key, OwnerID: "ops"},
		"gw":   {BaseURL: g.URL, MasterKey: "mk"},
	}}
	ep, err := cfg.Resolve(config.Overrides{}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(c)
	opts.Endpoint, opts.Config = ep, cfg
	opts.SwitchContext = ContextSwitcher(cfg, func(ep config.Endpoint) (*client.Client, error) {
		return apitest.NewClient(t, ep.BaseURL, ep.APIKey), nil
	})
	return opts, g
}

// `:ctx gw` (completed with Tab) switches the console to the gateway:
// the header names the context and its platform, the page that was
// showing reloads from the new server; an unknown name says which exist
// and changes nothing; `:ctx` alone lists them.
func TestCtxSwitch(t *testing.T) {
	opts, g := twoContexts(t)
	tm := startReady(t, opts, 120, 30)
	waitFor(t, tm, "ctx test", "platform lapctl")
	press(tm, "2")
	waitFor(t, tm, "[2 Sessions]")

	press(tm, ":")
	tm.Type("ctx ")
	waitFor(t, tm, ":ctx", " gw test")
	tm.Type("g")
	press(tm, "tab")
	waitFor(t, tm, ":ctx gw")
	press(tm, "enter")
	waitFor(t, tm, "ctx gw │ "+g.URL, "platform gateway", "using context gw", "[2 Sessions]", "Sessions 1", "zeta")
	press(tm, "1")
	waitFor(t, tm, "zeta", "Agents 1")

	press(tm, ":")
	tm.Type("ctx nope")
	press(tm, "enter")
	waitFor(t, tm, `no context named "nope" (contexts: gw, test)`)
	press(tm, ":")
	tm.Type("ctx")
	press(tm, "enter")
	waitFor(t, tm, "contexts: gw (in use), test; switch with :ctx NAME")

	press(tm, ":")
	tm.Type("ctx test")
	press(tm, "enter")
	waitFor(t, tm, "ctx test", "platform lapctl", "gamma", "Agents 3")
	frame := finalFrame(t, tm)
	if strings.Contains(frame, "zeta") || !strings.Contains(frame, "alpha") {
		t.Fatalf("after switching back, the agents are not the embedded server's:\n%s", frame)
	}
}

// Without SwitchContext (the SSH console) `:ctx` is refused and nothing
// changes; a context whose client cannot be built leaves the console on
// the one it had.
func TestCtxRefused(t *testing.T) {
	t.Parallel()
	opts, _ := twoContexts(t)
	ssh := opts
	ssh.SwitchContext = nil
	m := New(ssh)
	m.runCommand("ctx gw")
	if !strings.Contains(m.status.Text, "cannot be switched in this console") {
		t.Errorf("SSH-like console: status %q", m.status.Text)
	}
	if m.bar = newCmdBar(m.contextNames()); len(m.bar.contexts) != 0 {
		t.Errorf("SSH-like console completes contexts %v", m.bar.contexts)
	}

	broken := opts
	broken.SwitchContext = func(string) (*client.Client, config.Endpoint, error) {
		return nil, config.Endpoint{}, &client.APIError{StatusCode: 401, Message: "bad key"}
	}
	m = New(broken)
	before := m.opts.Client
	m.runCommand("ctx gw")
	if m.opts.Client != before || m.gen.Load() != 0 {
		t.Error("a failed switch changed the client")
	}
	if name, _ := m.endpointInUse(); name != "test" || !strings.Contains(m.status.Text, "switch to context gw: unauthorized") {
		t.Errorf("after a failed switch: ctx %q, status %q", name, m.status.Text)
	}
}

// What the old pages had in flight when the context changed is dropped,
// though the new pages' sequence numbers match it.
func TestSwitchDropsStaleMessages(t *testing.T) {
	t.Parallel()
	opts, _ := twoContexts(t)
	m := New(opts)
	page := &client.AgentPage{}
	page.Agents, page.Total = []spec.Agent{{ID: "agent_old", Name: "oldsrv"}}, 1
	stale := agents.PageMsg{Gen: 1, Page: page}
	msg := m.tag(func() tea.Msg { return stale })()
	m.runCommand("ctx gw")
	if m.gen.Load() != 1 {
		t.Fatalf("no switch: %q", m.status.Text)
	}
	m.Update(msg)
	if strings.Contains(frameOf(m), "oldsrv") {
		t.Fatalf("a message of the old context reached the new pages:\n%s", frameOf(m))
	}
	m.Update(stale) // the same message untagged is taken: the check is the tag
	if !strings.Contains(frameOf(m), "oldsrv") {
		t.Fatalf("the new generation's page dropped a current message:\n%s", frameOf(m))
	}
}

// Batches and sequences keep their kind (the program runs them) with
// each command tagged; the program's own messages pass untouched.
func TestTagKeepsBatchesAndSequences(t *testing.T) {
	t.Parallel()
	m := New(testOptions(nil))
	status := common.StatusCmd(common.LevelInfo, "x")
	seq := tea.Sequence(status, status)
	got := m.tag(seq)()
	if reflect.TypeOf(got) != reflect.TypeOf(seq()) {
		t.Fatalf("a sequence became %T", got)
	}
	v := reflect.ValueOf(got)
	for i := range v.Len() {
		if _, ok := v.Index(i).Interface().(tea.Cmd)().(genMsg); !ok {
			t.Fatal("a command of the sequence is not tagged")
		}
	}
	if b, ok := m.tag(tea.Batch(status, status))().(tea.BatchMsg); !ok || len(b) != 2 {
		t.Fatal("a batch lost its kind")
	}
	if _, ok := m.tag(tea.Quit)().(tea.QuitMsg); !ok {
		t.Fatal("the program's quit was wrapped")
	}
}

// untag is the message a root command's result carries.
func untag(msg tea.Msg) tea.Msg {
	if g, ok := msg.(genMsg); ok {
		return g.msg
	}
	return msg
}

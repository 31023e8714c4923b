package forms

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"lapctl/assets"
	"lapctl/client"
	"lapctl/spec"
)

// mode is what the builder is showing.
type mode int

const (
	modeStep mode = iota
	modeReview
	modeSubmitting
	modeDone
	modeStarting
	modeFinished
)

// Default size before the first tea.WindowSizeMsg.
const (
	defaultWidth  = 80
	defaultHeight = 24
)

// chrome is the builder's own lines around a step: title, breadcrumb and
// a blank line above, the status line below.
const chrome = 4

// Builder is the agent builder, a tea.Model. Standalone, Run drives it;
// embedded, the parent forwards messages and listens for DoneMsg and
// CancelMsg.
type Builder struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	pal    assets.Palette
	dark   bool        // the terminal's background, as last learnt
	huhSt  *huh.Styles // for dark; every form reads it through theme
	theme  huh.Theme
	st     styles
	keys   *huh.KeyMap // steps: enter goes to the next step
	menu   *huh.KeyMap // review and done menus: enter chooses
	width  int
	height int

	d    *draft
	orig *spec.AgentSpec // edit mode: the agent as loaded, for the patch

	// caps are the server's: which steps and fields it keeps, which
	// harnesses have a terminal (learnt in Init; lapctl's until then).
	caps client.Capabilities

	harnesses   []client.HarnessChoice
	harnessErr  error
	haveHarness bool
	models      []string
	modelsErr   error
	haveModels  bool
	skills      []spec.Skill
	skillsOwner string
	skillsErr   error
	haveSkills  bool
	skillsBusy  bool

	steps          [numSteps]step
	cur            stepID
	visited        stepID // furthest step reached
	mode           mode
	returnToReview bool
	stepErr        map[stepID]fieldError
	notice         string
	alert          string
	confirmQuit    bool
	escQuit        bool   // confirmQuit was asked by esc on the first step
	lastKey        string // the key being handled, so back can tell esc from shift+tab

	review *review
	done   *doneMenu

	spin     spinner.Model
	spinning bool
	busy     string // what the spinner is waiting for

	result Result
}

// NewBuilder builds the agent builder. It does no I/O: Init starts the
// server look-ups (harnesses, models, skills).
func NewBuilder(opts Options) *Builder {
	b := &Builder{
		opts:    opts,
		pal:     assets.MustTheme(opts.Theme),
		keys:    builderKeyMap("next"),
		menu:    builderKeyMap("choose"),
		width:   orInt(opts.Width, defaultWidth),
		height:  orInt(opts.Height, defaultHeight),
		d:       newDraft(opts),
		stepErr: map[stepID]fieldError{},
	}
	b.setDark(!opts.LightBackground)
	b.caps = client.CapabilitiesOf(client.PlatformLapctl)
	if opts.Client != nil {
		b.caps = opts.Client.Capabilities()
	}
	// Every huh form reads the builder's current styles, so a background
	// learnt after the forms were built recolours them all.
	b.theme = huh.ThemeFunc(func(bool) *huh.Styles { return b.huhSt })
	parent := opts.Context
	if parent == nil {
		parent = context.Background()
	}
	b.ctx, b.cancel = context.WithCancel(parent)
	if opts.Edit != nil {
		b.orig = b.d.toSpec()
	}
	b.spin = spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(b.st.Key))
	b.steps = [numSteps]step{
		stepBasics:       newBasicsStep(b),
		stepHarness:      newHarnessStep(b),
		stepModel:        newModelStep(b),
		stepSystem:       newSystemStep(b),
		stepSkills:       newSkillsStep(b),
		stepEnv:          newEnvStep(b),
		stepFiles:        newFilesStep(b),
		stepRepo:         newRepoStep(b),
		stepRequirements: newRequirementsStep(b),
		stepNetwork:      newNetworkStep(b),
	}
	b.review = newReview(b)
	b.done = newDoneMenu(b)
	return b
}

func orInt(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// builderKeyMap is huh's default keymap without its own ctrl+c quit: the
// builder handles ctrl+c itself so an embedded form never quits the
// console, and so a first press only warns.
//
// Each step is a form of its own, so huh's "enter submit" on a step's last
// field would mislead: it says what enter does in the builder (label).
func builderKeyMap(label string) *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithDisabled())
	for _, b := range []*key.Binding{&km.Input.Submit, &km.Select.Submit, &km.MultiSelect.Submit, &km.Text.Submit, &km.Note.Submit, &km.Confirm.Submit} {
		b.SetHelp("enter", label)
	}
	// A file picker's enter browses; on a form's last field huh leaves it
	// no key to move on, so the steps handle tab themselves (it skips the
	// picker) and the help says so. huh matches this binding for help only.
	km.FilePicker.Submit = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "skip"))
	return km
}

// editing reports whether the builder edits an existing agent.
func (b *Builder) editing() bool { return b.opts.Edit != nil }

// SetSize resizes the builder (the console calls it; a tea.WindowSizeMsg
// does the same).
func (b *Builder) SetSize(width, height int) {
	b.width, b.height = max(width, 40), max(height, 12)
	for _, s := range b.steps {
		s.refit()
	}
	b.review.refit()
	b.done.refit()
}

// Result is what the builder produced so far: the agent once saved, the
// session once started, the last saved spec file.
func (b *Builder) Result() Result { return b.result }

// Init implements tea.Model.
// setDark builds the styles for a dark or light background.
func (b *Builder) setDark(dark bool) {
	b.dark = dark
	b.huhSt = Theme(dark, b.pal)
	b.st = newStyles(dark, b.pal)
	b.spin.Style = b.st.Key
}

// Init starts the server look-ups and asks the terminal for its
// background (the answer comes back through the program's own input).
func (b *Builder) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, b.loadPlatform(), b.loadHarnesses(), b.loadModels(), b.goStep(stepBasics)}
	if owner := strings.TrimSpace(b.d.OwnerID); owner != "" {
		cmds = append(cmds, b.loadSkills(owner))
	}
	return tea.Batch(cmds...)
}

// Update handles one message; an embedding model forwards every message.
func (b *Builder) Update(msg tea.Msg) (*Builder, tea.Cmd) {
	cmd := b.update(msg)
	return b, cmd
}

func (b *Builder) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		b.setDark(msg.IsDark())
		b.restyle()
		return nil
	case tea.WindowSizeMsg:
		b.SetSize(msg.Width, msg.Height)
		return nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return b.interrupt()
		}
		if b.confirmQuit {
			b.confirmQuit, b.notice = false, ""
			if msg.String() == "esc" && b.escQuit && b.onFirstStep() {
				return b.cancelCmd() // a second esc on the first step, as a second ctrl+c
			}
		}
		b.lastKey = msg.String()
	case spinner.TickMsg:
		if !b.spinning || msg.ID != b.spin.ID() {
			return nil
		}
		if b.busy == "" && !b.stepBusy() {
			b.spinning = false
			return nil
		}
		var cmd tea.Cmd
		b.spin, cmd = b.spin.Update(msg)
		return cmd
	case platformMsg:
		changed := msg.caps.Platform != b.caps.Platform
		b.caps = msg.caps
		if !changed {
			return nil
		}
		if b.mode == modeStep && !b.shown(b.cur) {
			return b.next()
		}
		return b.reenter(b.cur)
	case harnessesMsg:
		b.harnesses, b.harnessErr, b.haveHarness = msg.choices, msg.err, true
		return b.reenter(stepHarness)
	case modelsMsg:
		b.models, b.modelsErr, b.haveModels = msg.ids, msg.err, true
		b.d.syncModel(msg.ids)
		return b.reenter(stepModel)
	case skillsMsg:
		b.skillsBusy = false
		if msg.owner != strings.TrimSpace(b.d.OwnerID) {
			return b.ownerChanged() // an answer for an owner since changed
		}
		b.skills, b.skillsErr, b.skillsOwner, b.haveSkills = msg.skills, msg.err, msg.owner, true
		return b.reenter(stepSkills)
	case submitMsg:
		return b.submitted(msg)
	case sessionMsg:
		return b.sessionStarted(msg)
	case savedMsg:
		return b.review.saved(msg)
	case saveProgressMsg:
		return b.review.progress(msg)
	case textLoadedMsg:
		return b.textLoaded(msg)
	case envImportedMsg:
		b.steps[stepEnv].(*envStep).imported(msg)
		return nil
	case fileStatMsg, loadProgressMsg, loadDoneMsg:
		_, cmd := b.steps[stepFiles].update(msg)
		return cmd
	}

	switch b.mode {
	case modeStep:
		move, cmd := b.steps[b.cur].update(msg)
		switch move {
		case forward:
			delete(b.stepErr, b.cur)
			return tea.Batch(cmd, b.next())
		case backward:
			return tea.Batch(cmd, b.back())
		}
		return cmd
	case modeReview:
		return b.review.update(msg)
	case modeDone:
		return b.done.update(msg)
	}
	return nil
}

// interrupt handles ctrl+c: once the agent exists it means "done";
// before, a first press warns and a second one discards the draft.
func (b *Builder) interrupt() tea.Cmd {
	switch {
	case b.mode == modeDone || b.mode == modeFinished:
		return b.finish(NextNone)
	case b.confirmQuit:
		return b.cancelCmd()
	}
	b.confirmQuit, b.escQuit = true, false
	b.notice = "Press ctrl+c again to discard this agent; any other key goes on."
	return nil
}

func (b *Builder) cancelCmd() tea.Cmd {
	b.cancel()
	b.mode = modeFinished
	return func() tea.Msg { return CancelMsg{} }
}

// finish ends the builder with the saved agent.
func (b *Builder) finish(next Next) tea.Cmd {
	b.result.Next = next
	b.mode = modeFinished
	b.cancel()
	res := b.result
	return func() tea.Msg { return DoneMsg{Result: res} }
}

// goStep shows step id, rebuilt from the draft.
func (b *Builder) goStep(id stepID) tea.Cmd {
	b.cur, b.mode = id, modeStep
	b.visited = max(b.visited, id)
	b.alert = ""
	s := b.steps[id]
	cmd := s.enter()
	s.refit()
	return tea.Batch(cmd, b.startSpin())
}

// reenter rebuilds a step that was waiting for data, if it is showing.
func (b *Builder) reenter(id stepID) tea.Cmd {
	if b.mode == modeStep && b.cur == id {
		return b.goStep(id)
	}
	return nil
}

func (b *Builder) next() tea.Cmd {
	b.notice = ""
	id, ok := b.stepAfter(b.cur, 1)
	if b.returnToReview || !ok {
		b.returnToReview = false
		return b.showReview()
	}
	return b.goStep(id)
}

func (b *Builder) back() tea.Cmd {
	b.notice = ""
	id, ok := b.stepAfter(b.cur, -1)
	switch {
	case !ok && b.lastKey == "esc":
		// esc has no step to go back to: it asks, as ctrl+c does.
		b.confirmQuit, b.escQuit = true, true
		b.notice = "This is the first step: press esc again (or ctrl+c) to discard this agent; any other key goes on."
		return nil
	case !ok:
		b.notice = "This is the first step."
		return nil
	}
	return b.goStep(id)
}

// onFirstStep reports whether the first shown step is showing.
func (b *Builder) onFirstStep() bool {
	_, ok := b.stepAfter(b.cur, -1)
	return b.mode == modeStep && !ok
}

// backFromReview shows the last step (esc on the review's menu).
func (b *Builder) backFromReview() tea.Cmd {
	b.notice = ""
	shown := b.shownSteps()
	return b.goStep(shown[len(shown)-1])
}

func (b *Builder) showReview() tea.Cmd {
	b.mode = modeReview
	b.visited = numSteps
	return b.review.enter()
}

// jumpTo shows the step that owns field with msg, from a failed submit;
// with no such step the review shows the message.
func (b *Builder) jumpTo(field, msg, source string) tea.Cmd {
	id, ok := stepForField(field)
	if !ok || !b.shown(id) {
		b.alert = source + msg
		if field != "" {
			b.alert = source + field + ": " + msg
		}
		return b.showReview()
	}
	b.stepErr[id] = fieldError{Field: field, Message: msg, Source: source}
	b.returnToReview = true
	return b.goStep(id)
}

// jumpToAll puts each field error on the step owning its field and shows
// the first such step (or the review, for fields no shown step edits).
func (b *Builder) jumpToAll(fes spec.Errors, source string) tea.Cmd {
	for _, fe := range fes[1:] {
		if id, ok := stepForField(fe.Field); ok && b.shown(id) {
			if _, taken := b.stepErr[id]; !taken {
				b.stepErr[id] = fieldError{Field: fe.Field, Message: fe.Message, Source: source}
			}
		}
	}
	return b.jumpTo(fes[0].Field, fes[0].Message, source)
}

// stepBusy reports a step waiting on I/O that wants the spinner.
func (b *Builder) stepBusy() bool {
	if b.mode != modeStep {
		return false
	}
	if w, ok := b.steps[b.cur].(interface{ busy() bool }); ok {
		return w.busy()
	}
	return false
}

// startSpin starts the spinner when something waits and it is not
// already ticking; ticks stop by themselves once nothing waits.
func (b *Builder) startSpin() tea.Cmd {
	if b.spinning || (b.busy == "" && !b.stepBusy()) {
		return nil
	}
	b.spinning = true
	return b.spin.Tick
}

// textLoaded hands a loaded file to the text step that asked for it.
func (b *Builder) textLoaded(msg textLoadedMsg) tea.Cmd {
	ts, ok := b.steps[msg.target].(*textStep)
	if !ok {
		return nil
	}
	cmd := ts.loaded(msg)
	if b.mode == modeStep && b.cur == msg.target {
		return cmd
	}
	return nil
}

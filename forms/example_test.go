package forms_test

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"lapctl/client"
	"lapctl/forms"
)

// console is a parent model showing the builder as one of its screens.
type console struct {
	builder *forms.Builder
	status  string
}

func (c *console) Init() tea.Cmd { return nil }

func (c *console) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case forms.DoneMsg:
		c.builder = nil
		c.status = "saved " + msg.Result.Agent.ID
		if msg.Result.Next == forms.NextAttach {
			// Attach to msg.Result.Session here, e.g. with tea.Exec.
		}
		return c, nil
	case forms.CancelMsg:
		c.builder = nil
		return c, nil
	}
	if c.builder != nil {
		// Every other message goes to the builder while it shows, huh's
		// own included, and ctrl+c too: the builder handles it.
		_, cmd := c.builder.Update(msg)
		return c, cmd
	}
	return c, nil
}

func (c *console) View() tea.View {
	v := tea.NewView(c.status)
	if c.builder != nil {
		v.SetContent(c.builder.View())
	}
	v.AltScreen = true
	return v
}

// The console opens the builder as a sub-model: it starts it with Init
// (which asks the terminal's background through the program), forwards
// messages, sizes it with SetSize (or tea.WindowSizeMsg), and takes
// DoneMsg or CancelMsg back.
func ExampleNewBuilder() {
	var c *client.Client        // the console's client
	ctx := context.Background() // the console's: a hang-up cancels the builder's requests
	parent := &console{builder: forms.NewBuilder(forms.Options{
		Client: c, Context: ctx, Theme: "lapctl", OwnerID: "me", Width: 100, Height: 30,
	})}
	_ = parent.builder.Init() // return it from the parent's Update
	parent.builder.SetSize(100, 30)
}

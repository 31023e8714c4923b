package forms

import (
	"fmt"

	"charm.land/huh/v2"
)

func newModelStep(b *Builder) step {
	return &formStep{
		b: b, id: stepModel,
		waiting: func() string {
			if b.haveModels {
				return ""
			}
			return "Asking the server for its models…"
		},
		build: func(fs *formStep) *huh.Form {
			d := b.d
			custom := huh.NewInput().Title("Model id").
				Description("Any LiteLLM model string, e.g. anthropic/claude-sonnet-4-6; blank leaves it to the server.").
				Placeholder("e.g. anthropic/claude-sonnet-4-6").Value(&d.ModelCustom)
			if len(b.models) == 0 {
				d.ModelPick = otherModel
				if b.modelsErr != nil {
					custom.Description(fmt.Sprintf("Could not list models (%v). Type a LiteLLM model string, or leave it blank.", b.modelsErr))
				}
				return huh.NewForm(huh.NewGroup(custom))
			}
			opts := make([]huh.Option[string], 0, len(b.models)+1)
			for _, id := range b.models {
				opts = append(opts, huh.NewOption(id, id))
			}
			opts = append(opts, huh.NewOption("Other: type a model id…", otherModel))
			pick := huh.NewSelect[string]().Title("Model").
				Description("From the server's /v1/models; / filters as you type.").
				Options(opts...).Value(&d.ModelPick)
			return huh.NewForm(
				huh.NewGroup(sized(pick, len(opts))),
				huh.NewGroup(custom).WithHideFunc(func() bool { return d.ModelPick != otherModel }),
			)
		},
	}
}

// listRows is how many options a select shows before it scrolls.
const listRows = 10

// sized gives a long select a fixed height so it scrolls. A short one is
// left unsized: huh then shows every option, where a sized select scrolls
// its chosen option to the top and hides those above it.
func sized[T comparable](s *huh.Select[T], options int) *huh.Select[T] {
	if options > listRows {
		s.Height(listRows + 3)
	}
	return s
}

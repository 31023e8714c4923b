// Package skills is `lapctl skills`: reusable blocks of instructions that
// agents append to their prompt.
package skills

import (
	"fmt"

	"github.com/spf13/cobra"

	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/spec"
)

// NewCmdSkills is the `skills` noun.
func NewCmdSkills(f *cmdutil.Factory) *cobra.Command {
	cmd := cmdutil.NewGroupCmd("skills <command>", "Manage skills",
		`Skills are reusable instructions appended to an agent's prompt
(lapctl agents create --skill NAME). Commands taking a skill accept its
id, its name or a unique id prefix.`, "skill")
	cmd.AddCommand(
		NewCmdList(f, nil),
		NewCmdGet(f, nil),
		NewCmdCreate(f, nil),
		NewCmdEdit(f, nil),
		NewCmdDelete(f, nil),
	)
	return cmd
}

func label(s *spec.Skill) string {
	if s.Name == "" {
		return s.ID
	}
	return fmt.Sprintf("%s (%s)", s.Name, s.ID)
}

// contentFlags reads a skill's content from --content or --content-file.
type contentFlags struct {
	Content     string
	ContentFile string
}

func (c *contentFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.Content, "content", "", "The skill's instructions")
	cmd.Flags().StringVar(&c.ContentFile, "content-file", "", "Read the instructions from a file (- for stdin)")
}

// read returns the content and whether either flag was given.
func (c *contentFlags) read(who cmdutil.Caller, cmd *cobra.Command) (string, bool, error) {
	switch {
	case cmd.Flags().Changed("content-file") && cmd.Flags().Changed("content"):
		return "", false, cmdutil.FlagErrorf("--content and --content-file cannot be used together")
	case cmd.Flags().Changed("content-file"):
		data, err := cmdutil.ReadInput(who, "--content-file", c.ContentFile)
		return string(data), true, err
	case cmd.Flags().Changed("content"):
		return c.Content, true, nil
	}
	return "", false, nil
}

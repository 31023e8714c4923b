package system

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"lapctl/client"
	"lapctl/cmd/lapctl/cli/cmdutil"
	"lapctl/cmd/lapctl/cli/output"
	"lapctl/config"
	"lapctl/iostreams"
)

// StatusOptions are the inputs of `status`.
type StatusOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*client.Client, error)
	Endpoint func() (config.Endpoint, error)
	JSON     bool
}

// StatusReport is `lapctl status --json`.
type StatusReport struct {
	Context        string   `json:"context"`
	BaseURL        string   `json:"base_url"`
	Platform       string   `json:"platform"`
	PlatformSource string   `json:"platform_source"`
	KeyValid       *bool    `json:"key_valid"`
	Owner          string   `json:"owner_id"`
	ServerVersion  string   `json:"server_version,omitempty"`
	Capabilities   []string `json:"capabilities"`
	Missing        []string `json:"missing"`
}

// NewCmdStatus builds `status`.
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Client: f.Client, Endpoint: f.Endpoint}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the server, its platform dialect and whether the key works",
		Long: `Show the context, the server URL, the platform dialect the server speaks
(lapctl, gateway or managed; learned afresh now unless forced with
--platform or platform: in the context), whether the key is accepted, the
owner id and, where the server says, its version. It exits 6 when the
server cannot be reached and 4 when the key is refused.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "Print JSON")
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	ep, err := opts.Endpoint()
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	st, err := c.Status(ctx)
	if err != nil {
		return err
	}
	r := StatusReport{Context: ep.Context, BaseURL: c.BaseURL(), Platform: string(st.Platform), PlatformSource: st.Source,
		KeyValid: st.KeyValid, Owner: ep.OwnerID, ServerVersion: st.Version}
	r.Capabilities, r.Missing = capabilityLines(client.CapabilitiesOf(st.Platform))
	if opts.JSON {
		if err := output.WriteJSON(opts.IO.Out, r); err != nil {
			return err
		}
	} else {
		d := output.NewDetail(opts.IO)
		d.Add("Context", orNone(r.Context))
		d.Add("Server", r.BaseURL)
		platform := orNone(r.Platform)
		switch r.PlatformSource {
		case client.SourceForced:
			platform += " (forced: --platform or platform: in the context)"
		case client.SourceProbed:
			platform += " (learned from the server)"
		}
		d.Add("Platform", platform)
		switch {
		case r.KeyValid == nil:
			d.Add("Key", "unknown")
		case *r.KeyValid:
			d.AddColor("Key", "accepted", output.ColorGood)
		default:
			d.AddColor("Key", "refused (lapctl login, --api-key or LITELLM_MASTER_KEY)", output.ColorBad)
		}
		d.Add("Owner id", orNone(r.Owner))
		if r.ServerVersion != "" {
			d.Add("Server version", r.ServerVersion)
		}
		d.Add("Offers", strings.Join(r.Capabilities, ", "))
		if len(r.Missing) > 0 {
			d.Add("Lacks", strings.Join(r.Missing, ", "))
		}
		if err := d.Render(); err != nil {
			return err
		}
	}
	if r.KeyValid != nil && !*r.KeyValid {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitAuth}
	}
	return nil
}

// capabilityLines says in words what the platform offers and lacks.
func capabilityLines(k client.Capabilities) (have, lack []string) {
	add := func(ok bool, what string) {
		if ok {
			have = append(have, what)
		} else {
			lack = append(lack, what)
		}
	}
	add(k.TTY, "terminal sessions")
	add(k.Messages != client.MessagesNone, "messages ("+string(k.Messages)+" replies)")
	add(k.Paging && k.Search && k.Sort, "server-side paging, search and sort")
	add(k.SessionEnvVars, "per-session env vars")
	add(k.SessionList, "session list")
	add(k.Skills, "skills")
	add(k.SkillCheck, "skill checks")
	add(k.PauseResume, "pause/resume")
	if dropped := k.NotStored(false); len(dropped) > 0 {
		lack = append(lack, "agent fields "+strings.Join(dropped, " "))
	}
	return have, lack
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

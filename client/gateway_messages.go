package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"lapctl/spec"
)

// gatewayModel picks the model of one message; modelID is required.
type gatewayModel struct {
	ProviderID string `json:"providerID,omitempty"`
	ModelID    string `json:"modelID"`
}

type gatewayMessageBody struct {
	Model gatewayModel `json:"model"`
	Parts []spec.Part  `json:"parts"`
}

// post sends one message (model.modelID is required: the agent's model
// when none is given) and returns the history the POST answers with.
func (d *gatewayDialect) post(ctx context.Context, sessionID, text, modelID, agentID string) ([]spec.Message, error) {
	if modelID == "" {
		if agentID == "" {
			s, err := d.getSession(ctx, sessionID)
			if err != nil {
				return nil, err
			}
			agentID = s.AgentID
		}
		if agentID != "" {
			a, err := d.getAgent(ctx, agentID)
			if err != nil {
				return nil, fmt.Errorf("looking up the session's agent for its model: %w", err)
			}
			modelID = a.Model
		}
	}
	if modelID == "" {
		return nil, spec.Errors{{Field: "model", Rule: spec.RuleRequired, Message: "the gateway needs a model for each message and this session has no agent to take it from: pass --model"}}
	}
	body := gatewayMessageBody{Model: gatewayModel{ModelID: modelID}, Parts: []spec.Part{{Type: "text", Text: text}}}
	if provider, _, ok := strings.Cut(modelID, "/"); ok {
		body.Model.ProviderID = provider
	}
	var out []spec.Message
	err := d.c.do(ctx, call{method: http.MethodPost, path: "/session/" + escape(sessionID) + "/message", body: body, result: &out})
	return out, err
}

// sendMessage posts, then waits for the asynchronous reply: an assistant
// message after ours in the history, with the session no longer busy.
func (d *gatewayDialect) sendMessage(ctx context.Context, s *spec.Session, text, modelID string) ([]spec.Message, error) {
	history, err := d.post(ctx, s.ID, text, modelID, s.AgentID)
	if err != nil {
		return nil, err
	}
	ours := lastUser(history)
	tick := time.NewTicker(GatewayPollInterval)
	defer tick.Stop()
	for {
		msgs, err := d.messages(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		if ours < 0 {
			ours = lastUser(msgs)
		}
		if reply := assistantAfter(msgs, ours); len(reply) > 0 {
			sess, err := d.getSession(ctx, s.ID)
			if err != nil {
				return nil, err
			}
			switch sess.Status {
			case spec.SessionError:
				return reply, fmt.Errorf("session %s failed while answering", s.ID)
			case spec.SessionRunning:
			default:
				return reply, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no reply from session %s yet: %w (the gateway answers asynchronously; see lapctl sessions messages %s later, or raise --timeout)", s.ID, ctx.Err(), s.ID)
		case <-tick.C:
		}
	}
}

func lastUser(msgs []spec.Message) int {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Info.Role == "user" {
			return i
		}
	}
	return -1
}

func assistantAfter(msgs []spec.Message, i int) []spec.Message {
	var out []spec.Message
	for _, m := range msgs[i+1:] {
		if m.Info.Role == "assistant" && m.Text() != "" {
			out = append(out, m)
		}
	}
	return out
}

func (d *gatewayDialect) messages(ctx context.Context, id string) ([]spec.Message, error) {
	var out []spec.Message
	err := d.c.do(ctx, call{method: http.MethodGet, path: "/session/" + escape(id) + "/message", result: &out})
	return out, err
}

package hooktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// ErrCrash is returned by [Respond] for the crash scenario. A Go-backed fake
// turns it into its transport's form of a dead function: an HTTP 502, a
// Lambda "Unhandled" function error, a panic.
var ErrCrash = errors.New("hooktest: crash on purpose")

// thrown is the message of the throw scenario's error; the suite expects it
// in the transport's error message.
const thrown = "hooktest: thrown on purpose"

// Messages of the well-formed scenarios.
const (
	closeText        = "hooktest: your pizza is on its way"
	elicitSlotText   = "hooktest: which crust would you like?"
	confirmText      = "hooktest: shall I place the order?"
	elicitIntentText = "hooktest: what else can I do for you?"
)

// sleep is how long the timeout scenario keeps the function busy: well past
// the suite's 1 s hook timeout.
const sleep = 5 * time.Second

// oversizeContent is long enough to take the answer past 25,600 bytes.
const oversizeContent = 30 * 1024

// Respond is the Go reference implementation of the scenarios: it returns
// the raw bytes the function answers for ev, or an error meaning the
// function threw (ErrCrash: the function's process died). The timeout
// scenario waits for ctx or 5 s, whichever comes first. An unknown scenario
// is an error.
func Respond(ctx context.Context, ev *parley.CodeHookEvent) ([]byte, error) {
	scenario, ok := strings.CutPrefix(ev.InputTranscript, "hooktest:")
	if !ok {
		return nil, fmt.Errorf("hooktest: inputTranscript %q does not name a scenario", ev.InputTranscript)
	}
	switch scenario {
	case "throw":
		return nil, errors.New(thrown)
	case "crash":
		return nil, ErrCrash
	case "timeout":
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(sleep):
		}
		return json.Marshal(response(ev, "close"))
	case "not_json":
		return []byte("hooktest: this is not JSON {"), nil
	case "session_attributes_clear":
		// The Go types omit an empty map, so {} is written by hand.
		return withState(response(ev, "delegate"), "sessionAttributes", "{}")
	case "bad_shape":
		// A dialogAction without its type: the commonest mistake in a
		// hand-written Lambda, and one a transport must pass on for
		// Validate to name.
		return withState(response(ev, "close"), "dialogAction", "{}")
	case "echo":
		event, err := json.Marshal(ev)
		if err != nil {
			return nil, err
		}
		resp := response(ev, "close")
		resp.Messages = []parley.Message{{ContentType: parley.ContentCustomPayload, Content: string(event)}}
		return json.Marshal(resp)
	}
	resp := response(ev, scenario)
	if resp == nil {
		return nil, fmt.Errorf("hooktest: unknown scenario %q", scenario)
	}
	return json.Marshal(resp)
}

// response builds the answer of a scenario that answers a response object,
// or nil for an unknown scenario. Like a real hook it starts from the
// event's session state and changes what the scenario is about.
func response(ev *parley.CodeHookEvent, scenario string) *parley.CodeHookResponse {
	state := parley.SessionState{
		SessionAttributes: maps.Clone(ev.SessionState.SessionAttributes),
		ActiveContexts:    ev.SessionState.ActiveContexts,
		Intent:            orderPizza(),
	}
	resp := &parley.CodeHookResponse{}
	switch scenario {
	case "close":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		state.Intent.State = parley.IntentFulfilled
		resp.Messages = plain(closeText)
	case "elicit_slot":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"}
		state.Intent.Slots["Crust"] = nil
		resp.Messages = plain(elicitSlotText)
	case "confirm_intent":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionConfirmIntent}
		state.Intent.Slots["Topping"] = parley.ScalarSlot("mushrooms", "mushroom", "mushroom")
		resp.Messages = plain(confirmText)
	case "delegate":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionDelegate}
		state.Intent.Slots["Topping"] = parley.ScalarSlot("mushrooms", "mushroom", "mushroom")
	case "elicit_intent":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionElicitIntent}
		state.Intent = nil
		resp.Messages = plain(elicitIntentText)
	case "session_attributes":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionDelegate}
		state.SessionAttributes = newAttributes()
	case "active_contexts":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionDelegate}
		state.ActiveContexts = []parley.ActiveContext{newContext()}
	case "oversize":
		state.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		state.Intent.State = parley.IntentFulfilled
		resp.Messages = plain(strings.Repeat("x", oversizeContent))
	default:
		return nil
	}
	resp.SessionState = state
	return resp
}

// withState encodes resp with sessionState's key set to the raw JSON value:
// for answers the Go types cannot express.
func withState(resp *parley.CodeHookResponse, key, value string) ([]byte, error) {
	body, err := json.Marshal(resp.SessionState)
	if err != nil {
		return nil, err
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(body, &state); err != nil {
		return nil, err
	}
	state[key] = json.RawMessage(value)
	return json.Marshal(struct {
		SessionState map[string]json.RawMessage `json:"sessionState"`
		Messages     []parley.Message           `json:"messages,omitempty"`
	}{state, resp.Messages})
}

// newAttributes is what the session_attributes scenario replaces the
// attributes with.
func newAttributes() map[string]string {
	return map[string]string{"hooktest": "replaced", "주문": "피자"}
}

// newContext is the one context the active_contexts scenario leaves active.
func newContext() parley.ActiveContext {
	return parley.ActiveContext{
		Name:              "hooktest_ctx",
		TimeToLive:        parley.ContextTimeToLive{TimeToLiveInSeconds: 120, TurnsToLive: 2},
		ContextAttributes: map[string]string{"source": "hooktest", "step": "2"},
	}
}

func plain(s string) []parley.Message {
	return []parley.Message{{ContentType: parley.ContentPlainText, Content: s}}
}

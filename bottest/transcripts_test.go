package bottest_test

import (
	"context"
	"errors"
	"flag"
	"maps"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/bottest"
)

// update is read by bottest.Run through the flag package.
var _ = flag.Bool("update", false, "rewrite the expected lines of the golden transcripts")

// TestTranscripts replays every golden conversation of the example bots and
// of the code hook bot (testdata/transcripts/hooks).
func TestTranscripts(t *testing.T) {
	bottest.RunWith(t, "../testdata/transcripts", bottest.Options{Hooks: map[string]parley.CodeHook{
		"HOOKPIZZA1":   parley.CodeHookFunc(pizzaHook),
		"broken":       parley.CodeHookFunc(brokenHook),
		"kitchen_down": parley.CodeHookFunc(kitchenDownHook),
	}})
}

func plainText(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func slotValue(in *parley.SessionIntent, name string) string {
	if v := in.Slots[name]; v != nil && v.Value != nil {
		return v.Value.InterpretedValue
	}
	return ""
}

// pizzaHook is HookPizza's logic, as a Lex Lambda would write it.
func pizzaHook(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	r, _ := parley.NopCodeHook.Invoke(ctx, ev) // Delegate, state unchanged
	st := &r.SessionState
	in := st.Intent
	closeWith := func(state parley.IntentState, msg string) {
		st.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		in.State = state
		r.Messages = []parley.Message{plainText(msg)}
	}
	switch {
	case ev.InvocationLabel == "GreetStart":
		closeWith(parley.IntentFulfilled, "Welcome to Hook Pizza (hook "+ev.InvocationLabel+").")
	case ev.InvocationLabel == "CrustRetry":
		r.Messages = []parley.Message{plainText("We only bake thin, thick or stuffed crust (" + ev.ProposedNextState.Prompt.Attempt + ").")}
	case ev.InvocationSource == parley.FulfillmentCodeHook:
		size, crust := slotValue(in, "Size"), slotValue(in, "Crust")
		st.SessionAttributes = maps.Clone(ev.SessionState.SessionAttributes)
		if st.SessionAttributes == nil {
			st.SessionAttributes = map[string]string{}
		}
		st.SessionAttributes["orderId"] = "PZ-" + size + "-" + crust
		closeWith(parley.IntentFulfilled, "Order PZ-"+size+"-"+crust+" placed: a "+size+" "+crust+" pizza.")
	case slotValue(in, "Size") == "small":
		closeWith(parley.IntentFailed, "Sorry, we stopped selling small pizzas.")
	case slotValue(in, "Crust") == "stuffed":
		in.Slots["Crust"] = nil
		st.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"}
		r.Messages = []parley.Message{plainText("We are out of stuffed crust today. Thin or thick?")}
	}
	return r, nil
}

// brokenHook throws, like a Lambda with a bug.
func brokenHook(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	return nil, errors.New("KeyError: 'Crust'")
}

// kitchenDownHook validates like pizzaHook but its fulfillment throws.
func kitchenDownHook(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	if ev.InvocationSource == parley.FulfillmentCodeHook {
		return nil, errors.New("ConnectionError: the order database is down")
	}
	return pizzaHook(ctx, ev)
}

package gofunc_test

import (
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
	"github.com/parleybot/parley/hook/hooktest"
)

func TestResponses(t *testing.T) {
	msg := gofunc.PlainText("hello")
	tests := []struct {
		name      string
		build     func(ev *parley.CodeHookEvent) *parley.CodeHookResponse
		action    parley.DialogActionType
		state     parley.IntentState // "" = no intent in the response
		toElicit  string
		messages  int
		confirmed parley.ConfirmationState
	}{
		{"close fulfilled", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			return gofunc.Close(ev, parley.IntentFulfilled, msg)
		}, parley.ActionClose, parley.IntentFulfilled, "", 1, parley.ConfirmationNone},
		{"close failed without messages", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			return gofunc.Close(ev, parley.IntentFailed)
		}, parley.ActionClose, parley.IntentFailed, "", 0, parley.ConfirmationNone},
		{"elicit slot", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			return gofunc.ElicitSlot(ev, "Topping", msg, msg)
		}, parley.ActionElicitSlot, parley.IntentInProgress, "Topping", 2, parley.ConfirmationNone},
		{"confirm intent", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			ev.SessionState.Intent.ConfirmationState = parley.ConfirmationDenied
			return gofunc.ConfirmIntent(ev, msg)
		}, parley.ActionConfirmIntent, parley.IntentInProgress, "", 1, parley.ConfirmationNone},
		{"delegate", gofunc.Delegate, parley.ActionDelegate, parley.IntentInProgress, "", 0, parley.ConfirmationNone},
		{"elicit intent", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			return gofunc.ElicitIntent(ev, msg)
		}, parley.ActionElicitIntent, "", "", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := hooktest.Event("close")
			resp := tt.build(ev)
			if err := resp.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			a := resp.SessionState.DialogAction
			if a.Type != tt.action || a.SlotToElicit != tt.toElicit {
				t.Errorf("dialogAction = %+v, want %s %q", a, tt.action, tt.toElicit)
			}
			if len(resp.Messages) != tt.messages {
				t.Errorf("%d messages, want %d", len(resp.Messages), tt.messages)
			}
			in := resp.SessionState.Intent
			switch {
			case tt.state == "" && in != nil:
				t.Errorf("intent = %+v, want none", in)
			case tt.state != "" && in == nil:
				t.Fatalf("no intent, want state %s", tt.state)
			case in != nil:
				if in.Name != "OrderPizza" || in.State != tt.state || in.ConfirmationState != tt.confirmed {
					t.Errorf("intent %s state %s confirmation %s, want OrderPizza %s %s", in.Name, in.State, in.ConfirmationState, tt.state, tt.confirmed)
				}
				if got := in.Slots["Size"]; got == nil || got.Value.InterpretedValue != "large" {
					t.Errorf("slot Size = %+v, want the event's large", got)
				}
			}
			if got := resp.SessionState.SessionAttributes["customerName"]; got != "김민준" {
				t.Errorf("sessionAttributes.customerName = %q, want the event's", got)
			}
			if got := resp.SessionState.ActiveContexts; len(got) != 1 || got[0].Name != "pizza_menu" {
				t.Errorf("activeContexts = %+v, want the event's", got)
			}
		})
	}
}

// TestResponsesDoNotAliasTheEvent changes a response in every part it copied
// and checks that the event did not change with it.
func TestResponsesDoNotAliasTheEvent(t *testing.T) {
	ev := hooktest.Event("close")
	resp := gofunc.Delegate(ev)
	resp.SessionState.SessionAttributes["customerName"] = "changed"
	resp.SessionState.ActiveContexts[0].ContextAttributes["menu"] = "changed"
	resp.SessionState.Intent.Slots["Size"].Value.InterpretedValue = "changed"
	resp.SessionState.Intent.Slots["Crust"] = nil

	want := hooktest.Event("close")
	if got := ev.SessionState.SessionAttributes["customerName"]; got != want.SessionState.SessionAttributes["customerName"] {
		t.Errorf("event sessionAttributes changed to %q", got)
	}
	if got := ev.SessionState.ActiveContexts[0].ContextAttributes["menu"]; got != "spring" {
		t.Errorf("event context attribute changed to %q", got)
	}
	if got := gofunc.Slot(ev, "Size"); got != "large" {
		t.Errorf("event slot Size changed to %q", got)
	}
	if got := gofunc.Slot(ev, "Crust"); got != "thin" {
		t.Errorf("event slot Crust changed to %q", got)
	}
}

func TestSlots(t *testing.T) {
	tests := []struct {
		name  string
		event func() *parley.CodeHookEvent
		edit  func(ev *parley.CodeHookEvent)
		slot  string
		want  string
		// wantNull: the response sends the slot as null
		wantNull bool
	}{
		{"read filled", func() *parley.CodeHookEvent { return hooktest.Event("close") }, nil, "Crust", "thin", false},
		{"read empty", func() *parley.CodeHookEvent { return hooktest.Event("close") }, nil, "Topping", "", true},
		{"read unknown", func() *parley.CodeHookEvent { return hooktest.Event("close") }, nil, "Drink", "", false},
		{"set", func() *parley.CodeHookEvent { return hooktest.Event("close") }, func(ev *parley.CodeHookEvent) {
			gofunc.SetSlot(ev, "Topping", "cheese")
		}, "Topping", "cheese", false},
		{"clear", func() *parley.CodeHookEvent { return hooktest.Event("close") }, func(ev *parley.CodeHookEvent) {
			gofunc.ClearSlot(ev, "Crust")
		}, "Crust", "", true},
		{"read from the top interpretation", noSessionIntent, nil, "Size", "large", false},
		{"set on the top interpretation's intent", noSessionIntent, func(ev *parley.CodeHookEvent) {
			gofunc.SetSlot(ev, "Topping", "veggie")
		}, "Topping", "veggie", false},
		{"no intent at all", func() *parley.CodeHookEvent {
			ev := noSessionIntent()
			ev.Interpretations = nil
			return ev
		}, func(ev *parley.CodeHookEvent) { gofunc.SetSlot(ev, "Topping", "veggie") }, "Topping", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.event()
			if tt.edit != nil {
				tt.edit(ev)
			}
			if got := gofunc.Slot(ev, tt.slot); got != tt.want {
				t.Errorf("Slot(%s) = %q, want %q", tt.slot, got, tt.want)
			}
			resp := gofunc.Delegate(ev)
			if err := resp.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if resp.SessionState.Intent == nil {
				return
			}
			v, present := resp.SessionState.Intent.Slots[tt.slot]
			if tt.wantNull != (present && v == nil) {
				t.Errorf("response slot %s = %+v (present %t), want null %t", tt.slot, v, present, tt.wantNull)
			}
		})
	}
}

func noSessionIntent() *parley.CodeHookEvent {
	ev := hooktest.Event("close")
	ev.SessionState.Intent = nil
	return ev
}

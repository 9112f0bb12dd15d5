package gofunc

import (
	"maps"
	"slices"

	"github.com/parleybot/parley"
)

// Close ends the intent with state (Fulfilled or Failed); the messages, if
// any, replace the bot's closing response.
func Close(ev *parley.CodeHookEvent, state parley.IntentState, msgs ...parley.Message) *parley.CodeHookResponse {
	s := sessionState(ev)
	s.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
	if s.Intent != nil {
		s.Intent.State = state
	}
	return &parley.CodeHookResponse{SessionState: s, Messages: msgs}
}

// ElicitSlot asks for slot next; the messages, if any, replace the slot's
// prompt. To re-ask for a value the handler rejected, clear it first with
// [ClearSlot].
func ElicitSlot(ev *parley.CodeHookEvent, slot string, msgs ...parley.Message) *parley.CodeHookResponse {
	s := sessionState(ev)
	s.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: slot}
	if s.Intent != nil {
		s.Intent.State = parley.IntentInProgress
	}
	return &parley.CodeHookResponse{SessionState: s, Messages: msgs}
}

// ConfirmIntent asks the user to confirm the intent; the messages, if any,
// replace the confirmation prompt.
func ConfirmIntent(ev *parley.CodeHookEvent, msgs ...parley.Message) *parley.CodeHookResponse {
	s := sessionState(ev)
	s.DialogAction = &parley.DialogAction{Type: parley.ActionConfirmIntent}
	if s.Intent != nil {
		s.Intent.State = parley.IntentInProgress
		s.Intent.ConfirmationState = parley.ConfirmationNone
	}
	return &parley.CodeHookResponse{SessionState: s, Messages: msgs}
}

// Delegate hands the next step back to the dialog, with the slots and
// attributes as the handler left them in ev.
func Delegate(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
	s := sessionState(ev)
	s.DialogAction = &parley.DialogAction{Type: parley.ActionDelegate}
	return &parley.CodeHookResponse{SessionState: s}
}

// ElicitIntent asks the user what they want next; Lex requires at least one
// message. The response carries no intent: the current one is left.
func ElicitIntent(ev *parley.CodeHookEvent, msgs ...parley.Message) *parley.CodeHookResponse {
	s := sessionState(ev)
	s.DialogAction = &parley.DialogAction{Type: parley.ActionElicitIntent}
	s.Intent = nil
	return &parley.CodeHookResponse{SessionState: s, Messages: msgs}
}

// PlainText returns a plain text message.
func PlainText(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

// Slot returns the interpreted value of the intent's scalar slot, or "" when
// it is empty.
func Slot(ev *parley.CodeHookEvent, name string) string {
	in := ev.SessionState.Intent
	if in == nil && len(ev.Interpretations) > 0 {
		in = &ev.Interpretations[0].Intent
	}
	if in == nil {
		return ""
	}
	if v := in.Slots[name]; v != nil && v.Value != nil {
		return v.Value.InterpretedValue
	}
	return ""
}

// SetSlot fills the slot of ev's session intent with value, so that the
// response built from ev carries it. An event without an intent is left
// as it is.
func SetSlot(ev *parley.CodeHookEvent, name, value string) {
	if in := sessionIntent(ev); in != nil {
		in.Slots[name] = parley.ScalarSlot(value, value, value)
	}
}

// ClearSlot empties the slot of ev's session intent; the response built
// from ev sends it as null, which clears it in the session.
func ClearSlot(ev *parley.CodeHookEvent, name string) {
	if in := sessionIntent(ev); in != nil {
		in.Slots[name] = nil
	}
}

// sessionIntent returns ev's session intent with a slot map to write to,
// taking the top interpretation's intent when the session has none.
func sessionIntent(ev *parley.CodeHookEvent) *parley.SessionIntent {
	if ev.SessionState.Intent == nil {
		if len(ev.Interpretations) == 0 {
			return nil
		}
		ev.SessionState.Intent = cloneIntent(&ev.Interpretations[0].Intent)
	}
	in := ev.SessionState.Intent
	if in.Slots == nil {
		in.Slots = make(map[string]*parley.SlotValue)
	}
	return in
}

// sessionState copies what a response carries over from the event: the
// attributes, the contexts and the intent. Nothing of it aliases the event.
func sessionState(ev *parley.CodeHookEvent) parley.SessionState {
	in := ev.SessionState.Intent
	if in == nil && len(ev.Interpretations) > 0 {
		in = &ev.Interpretations[0].Intent
	}
	s := parley.SessionState{
		SessionAttributes: maps.Clone(ev.SessionState.SessionAttributes),
		Intent:            cloneIntent(in),
	}
	if ev.SessionState.ActiveContexts != nil {
		s.ActiveContexts = make([]parley.ActiveContext, len(ev.SessionState.ActiveContexts))
		for i, c := range ev.SessionState.ActiveContexts {
			c.ContextAttributes = maps.Clone(c.ContextAttributes)
			s.ActiveContexts[i] = c
		}
	}
	return s
}

func cloneIntent(in *parley.SessionIntent) *parley.SessionIntent {
	if in == nil {
		return nil
	}
	out := *in
	if in.Slots != nil {
		out.Slots = make(map[string]*parley.SlotValue, len(in.Slots))
		for name, v := range in.Slots {
			out.Slots[name] = cloneSlot(v)
		}
	}
	return &out
}

func cloneSlot(v *parley.SlotValue) *parley.SlotValue {
	if v == nil {
		return nil
	}
	out := *v
	if v.Value != nil {
		val := *v.Value
		val.ResolvedValues = slices.Clone(v.Value.ResolvedValues)
		out.Value = &val
	}
	if v.Values != nil {
		out.Values = make([]*parley.SlotValue, len(v.Values))
		for i, item := range v.Values {
			out.Values[i] = cloneSlot(item)
		}
	}
	if v.SubSlots != nil {
		out.SubSlots = make(map[string]*parley.SlotValue, len(v.SubSlots))
		for name, sub := range v.SubSlots {
			out.SubSlots[name] = cloneSlot(sub)
		}
	}
	return &out
}

package parley

import "fmt"

// HookInvalidPrefix starts the message of every code hook response that
// breaks Lex's rules, as Lex words it.
const HookInvalidPrefix = "Invalid Lambda Response: Received invalid response from Lambda: "

// hookInvalid returns the DependencyFailedException for a response that
// breaks a rule; the detail names the field.
func hookInvalid(format string, args ...any) *Error {
	return &Error{Code: ErrDependencyFailed, Message: HookInvalidPrefix + fmt.Sprintf(format, args...)}
}

// Validate checks the rules Lex applies to every code hook response that
// need no knowledge of the bot (lex-v2.md §4.3): the dialog action and what
// each type needs, intent and slot shapes, messages and contexts. Names are
// checked against the bot by the dialog. The error is an *Error with
// ErrDependencyFailed whose message names the field.
func (r *CodeHookResponse) Validate() error {
	if r == nil {
		return hookInvalid("the response is empty")
	}
	st := &r.SessionState
	a := st.DialogAction
	if a == nil {
		return hookInvalid("sessionState.dialogAction is required")
	}
	switch a.Type {
	case ActionClose, ActionConfirmIntent, ActionDelegate, ActionElicitIntent, ActionElicitSlot:
	case "":
		return hookInvalid("sessionState.dialogAction.type is required")
	default:
		return hookInvalid("sessionState.dialogAction.type must be one of Close, ConfirmIntent, Delegate, ElicitIntent, ElicitSlot; got %q", a.Type)
	}
	in := st.Intent
	switch a.Type {
	case ActionElicitSlot:
		if a.SlotToElicit == "" {
			return hookInvalid("sessionState.dialogAction.slotToElicit is required when dialogAction.type is ElicitSlot")
		}
		if in == nil {
			return hookInvalid("sessionState.intent is required when dialogAction.type is ElicitSlot")
		}
	case ActionConfirmIntent:
		if in == nil {
			return hookInvalid("sessionState.intent is required when dialogAction.type is ConfirmIntent")
		}
	case ActionElicitIntent:
		if len(r.Messages) == 0 {
			return hookInvalid("messages are required when dialogAction.type is ElicitIntent")
		}
	case ActionClose:
		if in != nil && in.State != IntentFulfilled && in.State != IntentFailed {
			return hookInvalid("sessionState.intent.state must be Fulfilled or Failed when dialogAction.type is Close, got %q", in.State)
		}
	}
	if in != nil {
		if in.State == IntentReadyForFulfillment && a.Type != ActionDelegate {
			return hookInvalid("sessionState.intent.state ReadyForFulfillment is only allowed with dialogAction.type Delegate, got %s", a.Type)
		}
		for name, v := range in.Slots {
			if v != nil && v.Value == nil && len(v.Values) == 0 && len(v.SubSlots) == 0 {
				return hookInvalid("sessionState.intent.slots.%s.value is required for a filled slot (use null to clear it)", name)
			}
		}
	}
	// The runtime API's checks cover the rest of the shape: intent name and
	// states, slot values, contexts, attribute keys.
	if err := st.Validate("sessionState"); err != nil {
		return hookInvalid("%s", ErrorMessageOf(err))
	}
	if err := ValidateMessages("messages", r.Messages); err != nil {
		return hookInvalid("%s", ErrorMessageOf(err))
	}
	if err := validateAttributes("requestAttributes", r.RequestAttributes); err != nil {
		return hookInvalid("%s", ErrorMessageOf(err))
	}
	return nil
}

package dialog

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/parleybot/parley"
)

// Prefixes of Lex's DependencyFailedException messages for code hooks.
const (
	hookErrorPrefix   = "Invalid Lambda Response: Received error response from Lambda: "
	hookInvalidPrefix = "Invalid Lambda Response: Received invalid response from Lambda: "
)

// callDialogHook leaves the turn waiting for the dialog code hook, telling it
// the step the dialog proposes.
func (t *turn) callDialogHook(n next) {
	proposedIntent := cloneIntent(t.s.State.Intent)
	ps := &parley.ProposedState{Intent: &proposedIntent}
	switch n.kind {
	case stepElicit:
		ps.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: n.slot}
		ps.Prompt = &parley.PromptAttempt{Attempt: attemptName(t.s.Memory.Attempt)}
	case stepConfirm:
		ps.DialogAction = &parley.DialogAction{Type: parley.ActionConfirmIntent}
		ps.Prompt = &parley.PromptAttempt{Attempt: attemptName(t.s.Memory.Attempt)}
	case stepFulfil:
		ps.DialogAction = &parley.DialogAction{Type: parley.ActionDelegate}
		proposedIntent.State = parley.IntentReadyForFulfillment
	default: // stepDecline; the failure path runs without the hook
		ps.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		proposedIntent.State = parley.IntentFailed
	}
	t.pending = &Pending{kind: parley.DialogCodeHook, turn: t, proposed: n}
	t.pending.Event = t.event(parley.DialogCodeHook, ps)
}

// callFulfillmentHook leaves the turn waiting for the fulfillment code hook.
func (t *turn) callFulfillmentHook() {
	t.pending = &Pending{kind: parley.FulfillmentCodeHook, turn: t, proposed: next{kind: stepFulfil}}
	t.pending.Event = t.event(parley.FulfillmentCodeHook, nil)
}

func attemptName(attempt int) string {
	if attempt == 0 {
		return "Initial"
	}
	return fmt.Sprintf("Retry%d", attempt)
}

// event builds the Lex V2 Lambda input event for the current turn.
func (t *turn) event(source string, proposed *parley.ProposedState) *parley.CodeHookEvent {
	mode := t.inputMode
	if mode == "" {
		mode = parley.InputText
	}
	ev := &parley.CodeHookEvent{
		MessageVersion:      "1.0",
		InvocationSource:    source,
		InputMode:           mode,
		ResponseContentType: "text/plain; charset=utf-8",
		SessionID:           t.s.Key.SessionID,
		InputTranscript:     t.text,
		Bot: parley.HookBot{
			ID:        t.bot.ID,
			Name:      t.bot.Name,
			AliasID:   t.s.Key.AliasID,
			AliasName: t.bot.AliasName(t.s.Key.AliasID),
			LocaleID:  t.loc.ID,
			Version:   "DRAFT",
		},
		ProposedNextState: proposed,
		RequestAttributes: maps.Clone(t.reqAttrs),
		SessionState:      cloneSession(&parley.Session{State: t.s.State}).State,
	}
	if !t.putting {
		ev.Interpretations = parley.HookInterpretations(t.interpretations())
	}
	return ev
}

// hookFailed handles a hook that failed or timed out: a fulfillment hook
// with a configured failure or timeout response ends the intent as Failed
// with it; anything else fails the turn with ErrDependencyFailed.
func (t *turn) hookFailed(p *Pending, err error) Outcome {
	timeout := errors.Is(err, context.DeadlineExceeded)
	if def := t.currentDef(); p.kind == parley.FulfillmentCodeHook && def != nil && def.Fulfillment != nil {
		f := def.Fulfillment
		if timeout && f.TimeoutResponse != nil {
			t.failed(f.TimeoutResponse)
			return t.outcome()
		}
		if !timeout && f.FailureResponse != nil {
			t.failed(f.FailureResponse)
			return t.outcome()
		}
	}
	if timeout {
		return Outcome{Err: &parley.Error{Code: parley.ErrDependencyFailed, Message: "Invalid Lambda Response: the code hook did not answer in time", Err: err}}
	}
	var pe *parley.Error
	if errors.As(err, &pe) {
		return Outcome{Err: err}
	}
	return Outcome{Err: &parley.Error{Code: parley.ErrDependencyFailed, Message: hookErrorPrefix + "Unhandled", Err: err}}
}

// applyResponse carries out a valid hook response.
func (t *turn) applyResponse(p *Pending, resp *parley.CodeHookResponse) {
	rs := resp.SessionState
	st := &t.s.State
	if rs.SessionAttributes != nil {
		st.SessionAttributes = maps.Clone(rs.SessionAttributes)
	}
	if rs.ActiveContexts != nil {
		st.ActiveContexts = nil
		t.s.Memory.ContextExpiry = nil
		for _, c := range rs.ActiveContexts {
			st.ActiveContexts = append(st.ActiveContexts, cloneContext(c))
			setExpiry(t.s, c.Name, t.now.Add(time.Duration(c.TimeToLive.TimeToLiveInSeconds)*time.Second))
		}
	}
	if rs.Intent != nil {
		ni := normalizeIntent(t.loc, rs.Intent)
		if old := st.Intent; old != nil && old.Name == ni.Name {
			if rs.Intent.State == "" {
				ni.State = old.State
			}
			if rs.Intent.ConfirmationState == "" {
				ni.ConfirmationState = old.ConfirmationState
			}
		} else {
			t.s.Memory.Attempt = 0
		}
		st.Intent = ni
		t.acted = true
	}
	if len(resp.Messages) > 0 {
		t.override = slices.Clone(resp.Messages)
	}
	def := t.currentDef()
	a := rs.DialogAction
	if def == nil {
		// No intent to work on: Close stays Close, anything else waits for one.
		st.DialogAction = &parley.DialogAction{Type: parley.ActionElicitIntent}
		if a.Type == parley.ActionClose {
			st.DialogAction.Type = parley.ActionClose
		}
		t.s.Memory.Attempt = 0
		return
	}
	switch a.Type {
	case parley.ActionElicitSlot:
		if p.proposed.kind != stepElicit || p.proposed.slot != a.SlotToElicit {
			t.s.Memory.Attempt = 0
		}
		t.execute(def, next{kind: stepElicit, slot: a.SlotToElicit})
		st.DialogAction.SlotElicitationStyle = a.SlotElicitationStyle
	case parley.ActionConfirmIntent:
		if p.proposed.kind != stepConfirm {
			t.s.Memory.Attempt = 0
		}
		t.execute(def, next{kind: stepConfirm})
	case parley.ActionElicitIntent:
		st.DialogAction = &parley.DialogAction{Type: parley.ActionElicitIntent}
		t.s.Memory.Attempt = 0
	case parley.ActionClose:
		if st.Intent.State == parley.IntentFailed {
			t.failed(failureResponse(p, def))
			return
		}
		t.fulfilled(def)
	case parley.ActionDelegate:
		if p.kind == parley.FulfillmentCodeHook {
			if st.Intent.State == parley.IntentFailed {
				t.failed(failureResponse(p, def))
				return
			}
			t.fulfilled(def)
			return
		}
		n := t.decide(def)
		if n != p.proposed {
			t.s.Memory.Attempt = 0
		}
		t.execute(def, n)
	}
}

// failureResponse is what an intent failed by a hook says: the fulfillment
// failure response after a fulfillment hook, nothing after a dialog hook.
func failureResponse(p *Pending, def *parley.Intent) *parley.Response {
	if p.kind == parley.FulfillmentCodeHook && def.Fulfillment != nil {
		return def.Fulfillment.FailureResponse
	}
	return nil
}

// validateResponse checks a hook response against Lex's rules (lex-v2.md
// §4.3) and the bot's names. cur is the session's intent, used when the
// response names none.
func validateResponse(loc *parley.Locale, cur *parley.SessionIntent, resp *parley.CodeHookResponse) error {
	invalid := func(format string, args ...any) error {
		return parley.Errorf(parley.ErrDependencyFailed, "%s%s", hookInvalidPrefix, fmt.Sprintf(format, args...))
	}
	if resp == nil {
		return invalid("the response is empty")
	}
	rs := &resp.SessionState
	a := rs.DialogAction
	if a == nil {
		return invalid("sessionState.dialogAction is required")
	}
	switch a.Type {
	case parley.ActionClose, parley.ActionConfirmIntent, parley.ActionDelegate, parley.ActionElicitIntent, parley.ActionElicitSlot:
	default:
		return invalid("sessionState.dialogAction.type must be one of Close, ConfirmIntent, Delegate, ElicitIntent, ElicitSlot; got %q", a.Type)
	}
	if err := rs.Validate("sessionState"); err != nil {
		return invalid("%s", parley.ErrorMessageOf(err))
	}
	if err := parley.ValidateMessages("messages", resp.Messages); err != nil {
		return invalid("%s", parley.ErrorMessageOf(err))
	}
	in := rs.Intent
	var def *parley.Intent
	if in != nil {
		if def = loc.Intent(in.Name); def == nil {
			return invalid("sessionState.intent.name: intent %q does not exist in locale %s", in.Name, loc.ID)
		}
		for name, v := range in.Slots {
			if def.Slot(name) == nil {
				return invalid("sessionState.intent.slots.%s: intent %s has no slot %q", name, def.Name, name)
			}
			if v != nil && v.Value == nil && len(v.Values) == 0 && len(v.SubSlots) == 0 {
				return invalid("sessionState.intent.slots.%s.value is required for a filled slot (use null to clear it)", name)
			}
		}
		if in.State == parley.IntentReadyForFulfillment && a.Type != parley.ActionDelegate {
			return invalid("sessionState.intent.state ReadyForFulfillment is only allowed with dialogAction.type Delegate, got %s", a.Type)
		}
	} else if cur != nil {
		def = loc.Intent(cur.Name)
	}
	switch a.Type {
	case parley.ActionElicitSlot:
		if in == nil {
			return invalid("sessionState.intent is required when dialogAction.type is ElicitSlot")
		}
		if def.Slot(a.SlotToElicit) == nil {
			return invalid("sessionState.dialogAction.slotToElicit: intent %s has no slot %q", def.Name, a.SlotToElicit)
		}
	case parley.ActionConfirmIntent:
		if in == nil {
			return invalid("sessionState.intent is required when dialogAction.type is ConfirmIntent")
		}
		if len(resp.Messages) == 0 && def.Confirmation == nil {
			return invalid("messages are required when dialogAction.type is ConfirmIntent and intent %s has no confirmation prompt", def.Name)
		}
	case parley.ActionElicitIntent:
		if len(resp.Messages) == 0 {
			return invalid("messages are required when dialogAction.type is ElicitIntent")
		}
	case parley.ActionClose:
		if in != nil {
			switch in.State {
			case "", parley.IntentFulfilled, parley.IntentFailed:
			default:
				return invalid("sessionState.intent.state must be Fulfilled or Failed when dialogAction.type is Close, got %s", in.State)
			}
		}
	}
	return nil
}

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

// hookErrorPrefix starts Lex's DependencyFailedException message for a
// code hook that threw.
const hookErrorPrefix = "Invalid Lambda Response: Received error response from Lambda: "

// callDialogHook leaves the turn waiting for the dialog code hook, telling it
// the step the dialog proposes; label is the step's invocation label.
func (t *turn) callDialogHook(n next, label string) {
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
	default: // stepDecline, stepFail: the intent ends as Failed
		ps.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		proposedIntent.State = parley.IntentFailed
	}
	t.pending = &Pending{kind: parley.DialogCodeHook, turn: t, proposed: n}
	t.pending.Event = t.event(parley.DialogCodeHook, label, ps)
}

// callFulfillmentHook leaves the turn waiting for the fulfillment code hook,
// with the intent's updates settings for a slow call.
func (t *turn) callFulfillmentHook(def *parley.Intent) {
	p := &Pending{kind: parley.FulfillmentCodeHook, turn: t, proposed: next{kind: stepFulfil}}
	if u := def.Fulfillment.Updates; u != nil {
		p.Timeout = u.Timeout
		if u.StartResponse != nil || u.UpdateResponse != nil {
			p.Updates = &Updates{
				Start:       t.rendered(u.StartResponse),
				StartDelay:  u.StartDelay,
				Update:      t.rendered(u.UpdateResponse),
				UpdateEvery: u.UpdateEvery,
			}
		}
	}
	t.pending = p
	t.pending.Event = t.event(parley.FulfillmentCodeHook, "", nil)
}

func attemptName(attempt int) string {
	if attempt == 0 {
		return "Initial"
	}
	return fmt.Sprintf("Retry%d", attempt)
}

// event builds the Lex V2 Lambda input event for the current turn.
func (t *turn) event(source, label string, proposed *parley.ProposedState) *parley.CodeHookEvent {
	mode := t.inputMode
	if mode == "" {
		mode = parley.InputText
	}
	ev := &parley.CodeHookEvent{
		MessageVersion:      "1.0",
		InvocationSource:    source,
		InvocationLabel:     label,
		InputMode:           mode,
		ResponseContentType: "text/plain; charset=utf-8",
		SessionID:           t.s.Key.SessionID,
		InputTranscript:     t.text,
		RawInputTranscript:  t.text,
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
	if t.putting {
		return ev
	}
	its := t.interpretations()
	ev.Interpretations = parley.HookInterpretations(its)
	for i := range ev.Interpretations {
		// Lex never scores the fallback, wherever it ranks.
		if def := t.loc.Intent(ev.Interpretations[i].Intent.Name); def != nil && def.IsFallback() {
			ev.Interpretations[i].NLUConfidence = nil
		}
	}
	// Text input has one transcription, the text itself, resolved to the
	// winning interpretation.
	tr := parley.Transcription{Transcription: t.text, TranscriptionConfidence: 1}
	if len(its) > 0 {
		win := its[0].Intent
		tr.ResolvedContext = &parley.ResolvedContext{Intent: win.Name}
		for name, v := range win.Slots {
			if v == nil {
				continue
			}
			if tr.ResolvedSlots == nil {
				tr.ResolvedSlots = map[string]*parley.SlotValue{}
			}
			tr.ResolvedSlots[name] = v
		}
	}
	ev.Transcriptions = []parley.Transcription{tr}
	return ev
}

// hookFailed handles a hook that failed or timed out: a fulfillment hook
// with a configured failure or timeout response ends the intent as Failed
// with it; anything else fails the turn, with the hook's own coded error
// (ErrDependencyFailed, ErrThrottling) or ErrDependencyFailed.
func (t *turn) hookFailed(p *Pending, err error) Outcome {
	timeout := errors.Is(err, context.DeadlineExceeded)
	if def := t.currentDef(); p.kind == parley.FulfillmentCodeHook && def != nil && def.Fulfillment != nil {
		f := def.Fulfillment
		if timeout && (f.TimeoutResponse != nil || f.TimeoutNext != nil || f.TimeoutConditional != nil) ||
			!timeout && (f.FailureResponse != nil || f.FailureNext != nil || f.FailureConditional != nil) {
			t.fulfillmentFailed(def, timeout)
			return t.outcome()
		}
	}
	if def := t.currentDef(); p.graph != nil && def != nil {
		o := p.graph.Failure
		if timeout {
			o = p.graph.Timeout
		}
		if !o.IsZero() {
			t.follow(def, o, nil, func() { t.failed(nil) })
			return t.outcome()
		}
	}
	var pe *parley.Error
	if errors.As(err, &pe) {
		return Outcome{Err: err}
	}
	if timeout {
		return Outcome{Err: &parley.Error{Code: parley.ErrDependencyFailed, Message: "Code hook timed out", Err: err}}
	}
	return Outcome{Err: &parley.Error{Code: parley.ErrDependencyFailed, Message: hookErrorPrefix + "Unhandled: " + err.Error(), Err: err}}
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
	if resp.RequestAttributes != nil {
		t.reqAttrs = maps.Clone(resp.RequestAttributes)
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
			t.hookFailedIntent(p, def)
			return
		}
		t.fulfilled(def)
	case parley.ActionDelegate:
		if p.kind == parley.FulfillmentCodeHook {
			if st.Intent.State == parley.IntentFailed {
				t.hookFailedIntent(p, def)
				return
			}
			t.fulfilled(def)
			return
		}
		if p.graph != nil {
			t.graphHookDone(def, p.graph)
			return
		}
		n := t.decide(def)
		if p.proposed.kind == stepFail && (n.kind == stepElicit && n.slot == p.proposed.slot || n.kind == stepConfirm && p.proposed.slot == "") {
			// The hook left the step whose retries ran out as it was: the
			// failure path goes on.
			n = p.proposed
		}
		if n != p.proposed {
			t.s.Memory.Attempt = 0
		}
		t.execute(def, n)
	}
}

// hookFailedIntent ends an intent a hook answered Failed: a fulfillment
// goes down its failure path; a dialog hook's intent just fails.
func (t *turn) hookFailedIntent(p *Pending, def *parley.Intent) {
	if p.kind == parley.FulfillmentCodeHook {
		t.fulfillmentFailed(def, false)
		return
	}
	t.failed(failureResponse(p, def))
}

// failureResponse is what an intent failed by a hook says: the fulfillment
// failure response after a fulfillment hook, nothing after a dialog hook.
func failureResponse(p *Pending, def *parley.Intent) *parley.Response {
	if p.kind == parley.FulfillmentCodeHook && def.Fulfillment != nil {
		return def.Fulfillment.FailureResponse
	}
	return nil
}

// validateResponse checks a hook response against Lex's rules
// (parley.CodeHookResponse.Validate) and against the bot: the intent, its
// slots and the slot to elicit must exist. cur is the session's intent, used
// when the response names none.
func validateResponse(loc *parley.Locale, cur *parley.SessionIntent, resp *parley.CodeHookResponse) error {
	if err := resp.Validate(); err != nil {
		return err
	}
	invalid := func(format string, args ...any) error {
		return parley.Errorf(parley.ErrDependencyFailed, "%s%s", parley.HookInvalidPrefix, fmt.Sprintf(format, args...))
	}
	rs := &resp.SessionState
	a := rs.DialogAction
	in := rs.Intent
	var def *parley.Intent
	if in != nil {
		if def = loc.Intent(in.Name); def == nil {
			return invalid("sessionState.intent.name: intent %q does not exist in locale %s", in.Name, loc.ID)
		}
		for name := range in.Slots {
			if def.Slot(name) == nil {
				return invalid("sessionState.intent.slots.%s: intent %s has no slot %q", name, def.Name, name)
			}
		}
	} else if cur != nil {
		def = loc.Intent(cur.Name)
	}
	switch a.Type {
	case parley.ActionElicitSlot:
		if def.Slot(a.SlotToElicit) == nil {
			return invalid("sessionState.dialogAction.slotToElicit: intent %s has no slot %q", def.Name, a.SlotToElicit)
		}
	case parley.ActionConfirmIntent:
		if len(resp.Messages) == 0 && def.Confirmation == nil {
			return invalid("messages are required when dialogAction.type is ConfirmIntent and intent %s has no confirmation prompt", def.Name)
		}
	}
	return nil
}

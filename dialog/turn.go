package dialog

import (
	"time"

	"github.com/parleybot/parley"
)

// freeFormInput is the built-in slot type whose value is the whole input.
const freeFormInput = "AMAZON.FreeFormInput"

// turn is the working state of one Step, Put or Resume.
type turn struct {
	bot *parley.Bot
	loc *parley.Locale
	s   *parley.Session // a private copy; the outcome hands it over
	now time.Time

	text      string
	inputMode string
	reqAttrs  map[string]string
	u         *parley.Understanding

	msgs []parley.Message
	// override holds code hook messages that replace the next message the
	// bot would say for a step.
	override []parley.Message
	// acted reports that the turn worked on the session's intent, so the
	// first interpretation mirrors it; continued that the intent was already
	// in progress (a slot or confirmation answer), which Lex reports with
	// confidence 1.0.
	acted     bool
	continued bool
	putting   bool // a PutSession: no interpretations, no dialog code hook
	pending   *Pending
	// hops counts the graph steps taken this turn (maxHops).
	hops int
}

func newTurn(bot *parley.Bot, loc *parley.Locale, s *parley.Session, now time.Time) *turn {
	return &turn{bot: bot, loc: loc, s: cloneSession(s), now: now}
}

// stepKind is what the flow does next for an intent.
type stepKind int

const (
	stepElicit  stepKind = iota // ask for a slot
	stepConfirm                 // ask the confirmation question
	stepFulfil                  // fulfil (with or without the code hook)
	stepDecline                 // the user said no to the confirmation
	stepFail                    // retries ran out: the failure path
)

// next is the proposed next step of an intent.
type next struct {
	kind stepKind
	slot string // for stepElicit, and for stepFail the slot whose retries ran out
}

func (t *turn) threshold() float64 {
	if t.loc.NLUConfidenceThreshold > 0 {
		return t.loc.NLUConfidenceThreshold
	}
	return parley.DefaultConfidenceThreshold
}

func (t *turn) currentDef() *parley.Intent {
	if t.s.State.Intent == nil {
		return nil
	}
	return t.loc.Intent(t.s.State.Intent.Name)
}

// top returns the best hypothesis, or nil when there is none.
func (t *turn) top() *parley.IntentMatch {
	if len(t.u.Intents) == 0 {
		return nil
	}
	return &t.u.Intents[0]
}

// switchTarget returns the intent the input clearly asks for instead of the
// current one: ranked first, not the fallback, a different intent, at or
// above the threshold.
func (t *turn) switchTarget() *parley.IntentMatch {
	top := t.top()
	if top == nil || top.Fallback || top.Name == t.s.State.Intent.Name || top.Score < t.threshold() {
		return nil
	}
	if def := t.loc.Intent(top.Name); def == nil || def.IsFallback() {
		return nil
	}
	return top
}

// classify starts the intent the input is classified as.
func (t *turn) classify() {
	top := t.top()
	if top != nil && !top.Fallback {
		if def := t.loc.Intent(top.Name); def != nil && !def.IsFallback() {
			t.start(def, top.Slots)
			return
		}
	}
	fb := t.loc.FallbackIntent()
	if fb == nil {
		// A hand-built locale without a fallback: just ask again.
		t.s.State.DialogAction = &parley.DialogAction{Type: parley.ActionElicitIntent}
		return
	}
	t.start(fb, nil)
}

// start makes def the session's intent, with the slot values found in the
// input, says its initial response and runs its flow.
func (t *turn) start(def *parley.Intent, slots map[string]*parley.SlotValue) {
	t.startIntent(def, slots, false)
}

// startIntent is start for a graph's StartIntent step too: suppress skips
// the initial response.
func (t *turn) startIntent(def *parley.Intent, slots map[string]*parley.SlotValue, suppress bool) {
	si := newSessionIntent(def)
	mergeSlots(def, si, slots)
	t.s.State.Intent = si
	t.s.Memory.Attempt = 0
	t.acted = true
	t.continued = false
	if def.InitialResponse != nil && !suppress {
		t.say(def.InitialResponse)
	}
	if def.IsStepGraph() {
		t.branch(def, def.InitialNext, def.InitialConditional, def.InitialCodeHook, func() { t.proceed(def, t.decide(def)) })
		return
	}
	n := t.decide(def)
	if h := def.InitialCodeHook; h != nil && !t.putting {
		t.callDialogHook(n, h.InvocationLabel)
		return
	}
	t.proceed(def, n)
}

// answerSlot handles the answer to an ElicitSlot prompt.
func (t *turn) answerSlot(name string) {
	def := t.currentDef()
	si := t.s.State.Intent
	slot := def.Slot(name)
	t.acted, t.continued = true, true
	if slot.SlotTypeName == freeFormInput {
		// The whole input is the value: no fallback, no switching.
		v := t.u.Slots[name]
		if v == nil {
			v = parley.ScalarSlot(t.text, t.text, t.text)
		}
		si.Slots[name] = v
		t.s.Memory.Attempt = 0
		t.proceed(def, t.decide(def))
		return
	}
	captured := t.u.Slots[name] != nil
	changed := mergeSlots(def, si, t.u.Slots)
	if captured && (!slot.CaptureSuccess.IsZero() || slot.CaptureCodeHook != nil) {
		t.s.Memory.Attempt = 0
		t.follow(def, slot.CaptureSuccess, slot.CaptureCodeHook, func() { t.proceed(def, t.decide(def)) })
		return
	}
	if captured || changed {
		t.s.Memory.Attempt = 0
		t.proceed(def, t.decide(def))
		return
	}
	if sw := t.switchTarget(); sw != nil {
		t.start(t.loc.Intent(sw.Name), sw.Slots)
		return
	}
	t.s.Memory.Attempt++
	if t.s.Memory.Attempt > slot.Prompt.MaxRetries {
		fail := next{kind: stepFail, slot: name}
		if !slot.CaptureFailure.IsZero() {
			t.s.Memory.Attempt = 0
			t.follow(def, slot.CaptureFailure, nil, func() { t.proceed(def, fail) })
			return
		}
		t.proceed(def, fail)
		return
	}
	n := next{kind: stepElicit, slot: name}
	if h := slot.ElicitationCodeHook; h != nil && !t.putting {
		// Lex's elicitation code hook runs between the retries, with its label.
		t.callDialogHook(n, h.InvocationLabel)
		return
	}
	t.proceed(def, n)
}

// answerConfirmation handles the answer to a ConfirmIntent question.
func (t *turn) answerConfirmation() {
	def := t.currentDef()
	si := t.s.State.Intent
	t.acted, t.continued = true, true
	c := def.Confirmation
	switch t.u.Answer {
	case parley.AnswerYes:
		si.ConfirmationState = parley.ConfirmationConfirmed
		t.s.Memory.Attempt = 0
		if c != nil && (!c.Confirmed.IsZero() || c.CodeHook != nil) {
			t.follow(def, c.Confirmed, c.CodeHook, func() { t.proceed(def, t.decide(def)) })
			return
		}
		t.proceed(def, t.decide(def))
		return
	case parley.AnswerNo:
		si.ConfirmationState = parley.ConfirmationDenied
		t.s.Memory.Attempt = 0
		if c != nil && (c.DeclinationNext != nil || c.DeclinationConditional != nil) {
			// The declination response is said and the intent fails, as in the
			// default order; then the configured step.
			t.execute(def, next{kind: stepDecline})
			t.branch(def, c.DeclinationNext, c.DeclinationConditional, c.CodeHook, func() {})
			return
		}
		t.proceed(def, next{kind: stepDecline})
		return
	}
	if mergeSlots(def, si, t.u.Slots) {
		// A correction: confirm the new values.
		t.s.Memory.Attempt = 0
		t.proceed(def, t.decide(def))
		return
	}
	if sw := t.switchTarget(); sw != nil {
		t.start(t.loc.Intent(sw.Name), sw.Slots)
		return
	}
	t.s.Memory.Attempt++
	if c == nil || t.s.Memory.Attempt > c.Prompt.MaxRetries {
		if c != nil && !c.Failure.IsZero() {
			t.s.Memory.Attempt = 0
			t.follow(def, c.Failure, nil, func() { t.proceed(def, next{kind: stepFail}) })
			return
		}
		t.proceed(def, next{kind: stepFail})
		return
	}
	if c.ElicitationCodeHook != nil && !t.putting {
		t.callDialogHook(next{kind: stepConfirm}, c.ElicitationCodeHook.InvocationLabel)
		return
	}
	t.proceed(def, next{kind: stepConfirm})
}

// continueIntent handles input while an intent is in progress with nothing
// asked (a Delegate or None state set by a client or hook).
func (t *turn) continueIntent() {
	def := t.currentDef()
	si := t.s.State.Intent
	if !hasKnownSlot(def, t.u.Slots) {
		if sw := t.switchTarget(); sw != nil {
			t.start(t.loc.Intent(sw.Name), sw.Slots)
			return
		}
	}
	mergeSlots(def, si, t.u.Slots)
	t.acted, t.continued = true, true
	t.s.Memory.Attempt = 0
	t.proceed(def, t.decide(def))
}

// decide returns the intent's next step in Lex's default order, after
// applying slot default values.
func (t *turn) decide(def *parley.Intent) next {
	si := t.s.State.Intent
	t.applyDefaults(def, si)
	for _, sl := range def.Slots {
		if sl.Required && !si.Filled(sl.Name) {
			return next{kind: stepElicit, slot: sl.Name}
		}
	}
	switch si.ConfirmationState {
	case parley.ConfirmationDenied:
		return next{kind: stepDecline}
	case parley.ConfirmationConfirmed:
	default:
		if def.Confirmation != nil {
			return next{kind: stepConfirm}
		}
	}
	return next{kind: stepFulfil}
}

// proceed runs n, first through the dialog code hook when the intent has
// one (and this is a user turn). A step-graph intent calls its hook only at
// the steps that say so (lex-v2.md §3.10), never on every turn.
func (t *turn) proceed(def *parley.Intent, n next) {
	if def.DialogCodeHook && !t.putting && !def.IsStepGraph() {
		t.callDialogHook(n, "")
		return
	}
	t.execute(def, n)
}

// execute performs a step: says its message and sets the dialog action.
func (t *turn) execute(def *parley.Intent, n next) {
	st := &t.s.State
	si := st.Intent
	switch n.kind {
	case stepElicit:
		si.State = parley.IntentInProgress
		st.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: n.slot}
		if sl := def.Slot(n.slot); sl != nil {
			t.prompt(sl.Prompt, t.s.Memory.Attempt)
		}
	case stepConfirm:
		si.State = parley.IntentInProgress
		si.ConfirmationState = parley.ConfirmationNone
		st.DialogAction = &parley.DialogAction{Type: parley.ActionConfirmIntent}
		if def.Confirmation != nil {
			t.prompt(def.Confirmation.Prompt, t.s.Memory.Attempt)
		} else {
			t.say(nil)
		}
	case stepDecline:
		si.State = parley.IntentFailed
		st.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		t.s.Memory.Attempt = 0
		var declined *parley.Response
		if def.Confirmation != nil {
			declined = def.Confirmation.DeclinationResponse
		}
		t.say(declined)
	case stepFail:
		si.State = parley.IntentFailed
		st.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		t.s.Memory.Attempt = 0
		if fb := t.loc.FallbackIntent(); fb != nil {
			if fb.Fulfillment != nil {
				t.say(fb.Fulfillment.SuccessResponse)
			}
			t.say(fb.Closing)
		}
	case stepFulfil:
		if def.Fulfillment != nil && def.Fulfillment.CodeHook {
			si.State = parley.IntentReadyForFulfillment
			t.say(nil)
			t.callFulfillmentHook(def)
			return
		}
		t.fulfilled(def)
	}
}

// fulfilled finishes an intent successfully: success response, output
// contexts, closing response, Close.
func (t *turn) fulfilled(def *parley.Intent) {
	si := t.s.State.Intent
	si.State = parley.IntentFulfilled
	var success *parley.Response
	if def.Fulfillment != nil {
		success = def.Fulfillment.SuccessResponse
	}
	t.say(success)
	t.activateContexts(def, si)
	if f := def.Fulfillment; f != nil && (f.SuccessNext != nil || f.SuccessConditional != nil) {
		t.branch(def, f.SuccessNext, f.SuccessConditional, nil, func() { t.closeIntent(def, false) })
		return
	}
	t.closeIntent(def, false)
}

// failed ends an intent as Failed with response r (a fulfillment failure or
// timeout).
func (t *turn) failed(r *parley.Response) {
	t.s.State.Intent.State = parley.IntentFailed
	t.s.State.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
	t.s.Memory.Attempt = 0
	t.say(r)
}

// fulfillmentFailed ends a fulfillment that failed (or, with timeout, did
// not answer in time) with its response, then goes to the configured next
// step, if any.
func (t *turn) fulfillmentFailed(def *parley.Intent, timeout bool) {
	f := def.Fulfillment
	if f == nil {
		t.failed(nil)
		return
	}
	r, nx, cond := f.FailureResponse, f.FailureNext, f.FailureConditional
	if timeout {
		r, nx, cond = f.TimeoutResponse, f.TimeoutNext, f.TimeoutConditional
	}
	t.failed(r)
	if nx != nil || cond != nil {
		t.branch(def, nx, cond, nil, func() {})
	}
}

// outcome finishes the turn: caps messages, computes interpretations and
// refreshes the contexts' remaining time.
func (t *turn) outcome() Outcome {
	if t.pending != nil {
		return Outcome{Session: t.s, Pending: t.pending, RequestAttributes: t.reqAttrs}
	}
	t.say(nil)
	if len(t.msgs) > parley.MaxMessages {
		t.msgs = t.msgs[:parley.MaxMessages]
	}
	t.s.Messages = t.msgs
	if !t.putting {
		t.s.Interpretations = t.interpretations()
	} else {
		t.s.Interpretations = nil
	}
	t.refreshContexts()
	return Outcome{Session: t.s, RequestAttributes: t.reqAttrs}
}

// newSessionIntent returns def as a session intent with every slot unfilled.
func newSessionIntent(def *parley.Intent) *parley.SessionIntent {
	si := &parley.SessionIntent{
		Name:              def.Name,
		Slots:             make(map[string]*parley.SlotValue, len(def.Slots)),
		State:             parley.IntentInProgress,
		ConfirmationState: parley.ConfirmationNone,
	}
	for _, sl := range def.Slots {
		si.Slots[sl.Name] = nil
	}
	return si
}

// mergeSlots copies the values of def's slots from found into si and
// reports whether any value was new or different.
func mergeSlots(def *parley.Intent, si *parley.SessionIntent, found map[string]*parley.SlotValue) bool {
	changed := false
	for _, sl := range def.Slots {
		v := found[sl.Name]
		if v == nil {
			continue
		}
		if old := si.Slots[sl.Name]; old == nil || interpreted(old) != interpreted(v) {
			changed = true
		}
		si.Slots[sl.Name] = v
	}
	return changed
}

// hasKnownSlot reports whether found holds a value for one of def's slots.
func hasKnownSlot(def *parley.Intent, found map[string]*parley.SlotValue) bool {
	for _, sl := range def.Slots {
		if found[sl.Name] != nil {
			return true
		}
	}
	return false
}

// interpreted returns a slot's interpreted value ("" for non-scalar shapes,
// whose items are compared by their first value).
func interpreted(v *parley.SlotValue) string {
	switch {
	case v == nil:
		return ""
	case v.Value != nil:
		return v.Value.InterpretedValue
	case len(v.Values) > 0:
		return interpreted(v.Values[0])
	}
	return ""
}

package dialog

import (
	"time"

	"github.com/parleybot/parley"
)

// Input is one user turn as the dialog sees it.
type Input struct {
	Bot    *parley.Bot
	Locale *parley.Locale
	// Session is the stored session with the request's state already merged
	// (Merge). Step does not modify it.
	Session *parley.Session
	// Understanding is the Interpreter's answer to Query(Session, Text, Now).
	Understanding     *parley.Understanding
	Text              string
	InputMode         string // parley.InputText when empty
	RequestAttributes map[string]string
	// RequestID, when set, becomes the state's originatingRequestId, so the
	// code hooks of this turn see it.
	RequestID string
	Now       time.Time
}

// PutInput is a PutSession request as the dialog sees it.
type PutInput struct {
	Bot               *parley.Bot
	Locale            *parley.Locale
	Session           *parley.Session // the stored session, or a fresh one; not modified
	State             parley.SessionState
	Messages          []parley.Message // said instead of the prompt of the new state when set
	RequestAttributes map[string]string
	RequestID         string // see Input.RequestID
	Now               time.Time
}

// Outcome is the result of Step, Put or Resume. Exactly one of three things
// holds: Err is set (the turn failed and nothing is to be stored), Pending is
// set (a code hook must run; pass its answer to Resume), or the turn is done
// and Session is what to store and answer with.
type Outcome struct {
	// Session is the next session; its Messages and Interpretations are this
	// turn's. While Pending is set it is the state shown to the hook.
	Session *parley.Session
	Pending *Pending
	Err     error
	// RequestAttributes are the request attributes to answer with: the
	// request's, or those a code hook returned.
	RequestAttributes map[string]string
}

// Pending is a code hook call the engine must make before the turn can
// finish.
type Pending struct {
	// Event is what to send to the hook.
	Event *parley.CodeHookEvent
	// Timeout, when not zero, replaces the hook's time limit for this call
	// (a fulfillment's updates timeoutInSeconds).
	Timeout time.Duration
	// Updates, when set, are the messages to push to the user while this
	// fulfillment call runs.
	Updates *Updates

	kind     string // parley.DialogCodeHook or parley.FulfillmentCodeHook
	turn     *turn
	proposed next
	// graph is the step whose hook this is, for a step-graph hook: Resume
	// follows its success, failure or timeout outcome.
	graph *parley.CodeHookStep
}

// Updates are a slow fulfillment's progress messages, already rendered:
// Start once the call has run for StartDelay, then Update every UpdateEvery
// (never when UpdateEvery is zero or Update is empty).
type Updates struct {
	Start       []parley.Message
	StartDelay  time.Duration
	Update      []parley.Message
	UpdateEvery time.Duration
}

// Step runs one user turn: it reads the pending dialog action of the stored
// state, applies the understanding and advances the intent's flow.
func Step(in Input) Outcome {
	t := newTurn(in.Bot, in.Locale, in.Session, in.Now)
	t.text = in.Text
	t.inputMode = in.InputMode
	t.reqAttrs = in.RequestAttributes
	if in.RequestID != "" {
		t.s.State.OriginatingRequestID = in.RequestID
	}
	t.u = in.Understanding
	if t.u == nil {
		t.u = &parley.Understanding{}
	}
	t.s.Memory.Turns++
	t.ageContexts()

	m, slot := modeOf(t.loc, &t.s.State)
	switch m {
	case modeElicitSlot:
		t.answerSlot(slot)
	case modeConfirm:
		t.answerConfirmation()
	case modeContinue:
		t.continueIntent()
	default:
		t.classify()
	}
	return t.outcome()
}

// Put applies a PutSession request: the state replaces the stored one (with
// Lex's rules for attributes and contexts), and the messages to say are the
// request's, or else the prompt of the new dialog action. A Delegate action
// runs the intent's flow from its current slots.
func Put(in PutInput) Outcome {
	s := cloneSession(in.Session)
	Merge(s, in.Locale, &in.State, in.Now)
	if in.RequestID != "" {
		s.State.OriginatingRequestID = in.RequestID
	}
	t := newTurn(in.Bot, in.Locale, s, in.Now)
	t.reqAttrs = in.RequestAttributes
	t.s.Memory.Attempt = 0
	t.putting = true
	if len(in.Messages) > 0 {
		t.msgs = append(t.msgs, in.Messages...)
		return t.outcome()
	}
	st := &t.s.State
	def := t.currentDef()
	if def == nil || st.DialogAction == nil {
		return t.outcome()
	}
	switch st.DialogAction.Type {
	case parley.ActionElicitSlot:
		if sl := def.Slot(st.DialogAction.SlotToElicit); sl != nil {
			t.prompt(sl.Prompt, 0)
		}
	case parley.ActionConfirmIntent:
		if def.Confirmation != nil {
			t.prompt(def.Confirmation.Prompt, 0)
		}
	case parley.ActionDelegate:
		t.execute(def, t.decide(def))
	}
	return t.outcome()
}

// Resume continues a turn after its pending code hook answered resp, or
// failed with err (context.DeadlineExceeded when it timed out).
func Resume(p *Pending, resp *parley.CodeHookResponse, err error) Outcome {
	t := p.turn
	t.pending = nil
	if err != nil {
		return t.hookFailed(p, err)
	}
	if verr := validateResponse(t.loc, t.s.State.Intent, resp); verr != nil {
		return Outcome{Err: verr}
	}
	t.applyResponse(p, resp)
	return t.outcome()
}

// mode is what the stored dialog action expects from the next input.
type mode int

const (
	modeClassify   mode = iota // no intent in progress: classify afresh
	modeElicitSlot             // a slot of the current intent was asked for
	modeConfirm                // the confirmation question was asked
	modeContinue               // an intent is in progress with nothing asked (Delegate, None)
)

// modeOf reads the stored state; slot is the elicited slot in
// modeElicitSlot.
func modeOf(loc *parley.Locale, st *parley.SessionState) (m mode, slot string) {
	in := st.Intent
	if in == nil || in.State == parley.IntentFulfilled || in.State == parley.IntentFailed {
		return modeClassify, ""
	}
	def := loc.Intent(in.Name)
	if def == nil {
		return modeClassify, ""
	}
	if st.DialogAction == nil {
		return modeContinue, ""
	}
	switch st.DialogAction.Type {
	case parley.ActionElicitSlot:
		if def.Slot(st.DialogAction.SlotToElicit) != nil {
			return modeElicitSlot, st.DialogAction.SlotToElicit
		}
		return modeContinue, ""
	case parley.ActionConfirmIntent:
		return modeConfirm, ""
	case parley.ActionDelegate, parley.ActionNone:
		return modeContinue, ""
	}
	return modeClassify, ""
}

// Query returns what to ask the Interpreter about text in session s: the
// active contexts that gate intents, and the intent and slot in progress.
// now should be in the locale's time zone.
func Query(s *parley.Session, loc *parley.Locale, text string, now time.Time) parley.Query {
	q := parley.Query{Text: text, Now: now}
	for _, c := range s.State.ActiveContexts {
		q.ActiveContexts = append(q.ActiveContexts, c.Name)
	}
	m, slot := modeOf(loc, &s.State)
	if m != modeClassify {
		q.Intent = s.State.Intent.Name
		q.ElicitSlot = slot
	}
	return q
}

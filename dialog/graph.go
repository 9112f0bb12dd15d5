package dialog

import (
	"github.com/parleybot/parley"
)

// maxHops bounds the steps one turn may chain through next steps and
// conditionals, so that a bot whose graph loops (a StartIntent back to
// itself, say) ends the turn instead of spinning.
const maxHops = 32

// follow carries out one outcome of a step of the graph: its response, then
// its next step or conditional (branch). hook is the code hook of the step
// the outcome belongs to, run by an InvokeDialogCodeHook next step; dflt is
// the classic default path, taken when the outcome names no step.
func (t *turn) follow(def *parley.Intent, o parley.StepOutcome, hook *parley.CodeHookStep, dflt func()) {
	t.say(o.Response)
	t.branch(def, o.Next, o.Conditional, hook, dflt)
}

// branch goes to nx, evaluating cond when nx is EvaluateConditional or
// names no step. A step whose code hook is set and that configures no
// next step and no active conditional runs the hook, as a step built in
// the console with only its hook switched on does.
func (t *turn) branch(def *parley.Intent, nx *parley.DialogStep, cond *parley.Conditional, hook *parley.CodeHookStep, dflt func()) {
	if nx != nil && nx.Type != "" && nx.Type != parley.StepEvaluateConditional {
		t.goTo(def, nx, hook, dflt)
		return
	}
	if nx != nil {
		t.setValues(def, nx)
	}
	if cond != nil && cond.Active {
		b := t.evaluate(cond)
		t.say(b.Response)
		// A branch's InvokeDialogCodeHook runs the same step's hook.
		t.goTo(def, b.Next, hook, dflt)
		return
	}
	if nx == nil && hook != nil && !t.putting {
		t.callGraphHook(def, hook)
		return
	}
	dflt()
}

// evaluate returns the first branch of cond whose condition holds, else the
// default branch (as a branch without a name or condition). A condition
// that does not parse never holds; loaders reject such bots (CheckGraph).
func (t *turn) evaluate(cond *parley.Conditional) parley.ConditionalBranch {
	sc := t.scope()
	for _, b := range cond.Branches {
		c, err := ParseCondition(b.Condition)
		if err == nil && c.Eval(sc) {
			return b
		}
	}
	return parley.ConditionalBranch{Response: cond.Default.Response, Next: cond.Default.Next}
}

// scope is what conditions read in this turn.
func (t *turn) scope() Scope {
	mode := t.inputMode
	if mode == "" && !t.putting {
		mode = parley.InputText
	}
	return Scope{Intent: t.s.State.Intent, Attributes: t.s.State.SessionAttributes, InputMode: mode, Transcript: t.text}
}

// setValues applies a step's session attributes, and its slot values when
// they are for the current intent.
func (t *turn) setValues(def *parley.Intent, nx *parley.DialogStep) {
	st := &t.s.State
	if len(nx.SessionAttributes) > 0 {
		if st.SessionAttributes == nil {
			st.SessionAttributes = make(map[string]string, len(nx.SessionAttributes))
		}
		for k, v := range nx.SessionAttributes {
			st.SessionAttributes[k] = v
		}
	}
	if nx.Type == parley.StepStartIntent || st.Intent == nil || nx.Intent != "" && nx.Intent != st.Intent.Name {
		return
	}
	setSlots(def, st.Intent, nx.Slots)
}

// setSlots sets (or, for a nil value, clears) the slots of def named in
// vals.
func setSlots(def *parley.Intent, si *parley.SessionIntent, vals map[string]*parley.SlotValue) {
	for name, v := range vals {
		if def.Slot(name) == nil {
			continue
		}
		if v == nil {
			si.Slots[name] = nil
			continue
		}
		c := *v
		si.Slots[name] = &c
	}
}

// goTo performs a next step of the graph. A nil step, or one without a
// type, takes dflt after setting its values.
func (t *turn) goTo(def *parley.Intent, nx *parley.DialogStep, hook *parley.CodeHookStep, dflt func()) {
	if nx != nil {
		t.setValues(def, nx)
	}
	if nx == nil || nx.Type == "" {
		dflt()
		return
	}
	t.hops++
	if t.hops > maxHops {
		t.end()
		return
	}
	st := &t.s.State
	si := st.Intent
	switch nx.Type {
	case parley.StepElicitIntent:
		st.DialogAction = &parley.DialogAction{Type: parley.ActionElicitIntent}
		t.s.Memory.Attempt = 0
	case parley.StepStartIntent:
		target := t.loc.Intent(nx.Intent)
		if target == nil {
			dflt()
			return
		}
		t.startIntent(target, nx.Slots, nx.SuppressNextMessage)
	case parley.StepElicitSlot:
		if def.Slot(nx.SlotToElicit) == nil {
			dflt()
			return
		}
		if si.ConfirmationState == parley.ConfirmationDenied {
			// Asking again after a no: the answer will be confirmed afresh.
			si.ConfirmationState = parley.ConfirmationNone
		}
		t.s.Memory.Attempt = 0
		if nx.SuppressNextMessage {
			si.State = parley.IntentInProgress
			st.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: nx.SlotToElicit}
			return
		}
		t.execute(def, next{kind: stepElicit, slot: nx.SlotToElicit})
	case parley.StepEvaluateConditional:
		// Reached from a branch: conditionals do not chain.
		dflt()
	case parley.StepInvokeDialogCodeHook:
		if hook == nil || t.putting {
			dflt()
			return
		}
		t.callGraphHook(def, hook)
	case parley.StepConfirmIntent:
		if nx.SuppressNextMessage {
			si.State = parley.IntentInProgress
			si.ConfirmationState = parley.ConfirmationNone
			st.DialogAction = &parley.DialogAction{Type: parley.ActionConfirmIntent}
			t.s.Memory.Attempt = 0
			return
		}
		t.s.Memory.Attempt = 0
		t.execute(def, next{kind: stepConfirm})
	case parley.StepFulfillIntent:
		t.execute(def, next{kind: stepFulfil})
	case parley.StepCloseIntent:
		t.closeIntent(def, nx.SuppressNextMessage)
	case parley.StepEndConversation:
		t.end()
	default:
		dflt()
	}
}

// callGraphHook leaves the turn waiting for the dialog code hook of a
// graph step; Resume then follows the hook's success, failure or timeout
// outcome.
func (t *turn) callGraphHook(def *parley.Intent, hook *parley.CodeHookStep) {
	t.callDialogHook(t.decide(def), hook.InvocationLabel)
	t.pending.graph = hook
}

// closeIntent says the closing response (unless suppressed) and goes on
// to the closing's next step, by default the end of the conversation.
func (t *turn) closeIntent(def *parley.Intent, suppress bool) {
	if !suppress {
		t.say(def.Closing)
	}
	if def.ClosingNext != nil || def.ClosingConditional != nil {
		t.branch(def, def.ClosingNext, def.ClosingConditional, nil, t.end)
		return
	}
	t.end()
}

// end ends the conversation: Close. An intent ended before it was
// fulfilled or failed is reported as Failed, since it was not fulfilled.
func (t *turn) end() {
	if si := t.s.State.Intent; si != nil && si.State != parley.IntentFulfilled && si.State != parley.IntentFailed {
		si.State = parley.IntentFailed
	}
	t.s.State.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
	t.s.Memory.Attempt = 0
}

// graphHookDone follows a graph step hook's outcome after it answered
// Delegate: failure when it set the intent's state to Failed, else success.
func (t *turn) graphHookDone(def *parley.Intent, hook *parley.CodeHookStep) {
	if t.s.State.Intent.State == parley.IntentFailed {
		t.follow(def, hook.Failure, nil, func() { t.failed(nil) })
		return
	}
	t.follow(def, hook.Success, nil, func() { t.execute(def, t.decide(def)) })
}

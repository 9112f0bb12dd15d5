package parley

// Step graphs: since August 2022 Lex lets every step of an intent's dialog
// say what comes next (a DialogStep) or branch on conditions (a
// Conditional). A nil Next and nil Conditional everywhere is a classic bot:
// the dialog runs in the default order (Intent's doc comment). The types
// mirror Lex's DialogState, ConditionalSpecification and
// PostDialogCodeHookInvocationSpecification so that exports map onto them
// field by field.

// StepType is the action of a next step (Lex's DialogAction.type in a
// DialogState; the export spells them as these constants).
type StepType string

const (
	StepElicitIntent         StepType = "ElicitIntent"         // wait for the user to say what they want next
	StepStartIntent          StepType = "StartIntent"          // switch to DialogStep.Intent, with DialogStep.Slots preset
	StepElicitSlot           StepType = "ElicitSlot"           // ask for DialogStep.SlotToElicit
	StepEvaluateConditional  StepType = "EvaluateConditional"  // evaluate the step's Conditional
	StepInvokeDialogCodeHook StepType = "InvokeDialogCodeHook" // run the step's code hook (CodeHookStep)
	StepConfirmIntent        StepType = "ConfirmIntent"        // ask the intent's confirmation prompt
	StepFulfillIntent        StepType = "FulfillIntent"        // fulfil the intent
	StepCloseIntent          StepType = "CloseIntent"          // say the closing response
	StepEndConversation      StepType = "EndConversation"      // end: dialogAction Close
)

// MaxConditionalBranches is Lex's limit of branches in one Conditional
// (besides the default branch).
const MaxConditionalBranches = 4

// MaxConditionLength is Lex's limit of a condition's expressionString.
const MaxConditionLength = 1024

// DialogStep is Lex's DialogState: the step that follows a step's outcome,
// with the values it sets on the way.
type DialogStep struct {
	Type StepType
	// SlotToElicit names the slot for StepElicitSlot.
	SlotToElicit string
	// SuppressNextMessage skips the target step's own prompt or response
	// (the branch's response has usually said it already).
	SuppressNextMessage bool
	// Intent is the intent to switch to for StepStartIntent. For other types
	// it may name the current intent (exports do); "" means the current one.
	Intent string
	// Slots are set on the intent the step leads to before it runs: a
	// non-nil value sets the slot, a nil value clears it (Lex's
	// "interpretedValue": null), which is how a filled slot is elicited
	// again.
	Slots map[string]*SlotValue
	// SessionAttributes are merged into the session's attributes (each key
	// replaces the stored value) before the step runs.
	SessionAttributes map[string]string
}

// Conditional is Lex's ConditionalSpecification: the first branch whose
// condition holds is taken, else the default branch. It runs when the
// step's next step is StepEvaluateConditional, or in place of a missing
// next step.
type Conditional struct {
	// Active mirrors Lex's isActive; an inactive conditional is kept for
	// export but never evaluated.
	Active bool
	// Branches are evaluated in order; at most MaxConditionalBranches.
	Branches []ConditionalBranch
	// Default is taken when no branch's condition holds.
	Default StepOutcome
}

// ConditionalBranch is one branch of a Conditional.
type ConditionalBranch struct {
	Name string // ^([0-9a-zA-Z][_-]?){1,100}$
	// Condition is Lex's condition.expressionString, e.g.
	// `fn.IS_SET({Size}) AND [count] > "2"`; at most MaxConditionLength.
	Condition string
	// Response is said when the branch is taken; nil = nothing.
	Response *Response
	// Next is the step the branch leads to; nil = the default next step.
	Next *DialogStep
}

// StepOutcome is what one outcome of a step does: say a response, then go
// to Next, or evaluate Conditional when Next is nil or is
// StepEvaluateConditional. The zero value is the default path of the
// classic order.
type StepOutcome struct {
	Response    *Response
	Next        *DialogStep
	Conditional *Conditional
}

// IsZero reports whether the outcome configures nothing, so the classic
// default applies.
func (o *StepOutcome) IsZero() bool {
	return o == nil || o.Response == nil && o.Next == nil && o.Conditional == nil
}

// IsStepGraph reports whether the intent configures any next step or
// conditional, i.e. whether it was built with Lex's step graph rather than
// the classic order.
func (in *Intent) IsStepGraph() bool {
	if in.InitialNext != nil || in.InitialConditional != nil || in.ClosingNext != nil || in.ClosingConditional != nil {
		return true
	}
	if in.InitialCodeHook.hasGraph() {
		return true
	}
	if c := in.Confirmation; c != nil {
		if !c.Confirmed.IsZero() || c.DeclinationNext != nil || c.DeclinationConditional != nil || !c.Failure.IsZero() || c.CodeHook.hasGraph() {
			return true
		}
	}
	if f := in.Fulfillment; f != nil {
		if f.SuccessNext != nil || f.SuccessConditional != nil || f.FailureNext != nil || f.FailureConditional != nil || f.TimeoutNext != nil || f.TimeoutConditional != nil {
			return true
		}
	}
	for _, s := range in.Slots {
		if !s.CaptureSuccess.IsZero() || !s.CaptureFailure.IsZero() || s.CaptureCodeHook.hasGraph() {
			return true
		}
	}
	return false
}

func (h *CodeHookStep) hasGraph() bool {
	return h != nil && (!h.Success.IsZero() || !h.Failure.IsZero() || !h.Timeout.IsZero())
}

package dialog

import (
	"errors"
	"fmt"

	"github.com/parleybot/parley"
)

// CheckGraph checks the step graphs of a locale's intents: every condition
// parses, conditionals have at most parley.MaxConditionalBranches named
// branches, and next steps name step types, slots and intents that exist.
// It returns an *parley.Error with ErrValidation listing every problem with
// its path (intents.NAME.slots.SLOT.captureSuccess…), or nil. Loaders call
// it after building a locale, so that a bot with a broken graph is refused
// instead of taking wrong branches at run time.
func CheckGraph(loc *parley.Locale) error {
	c := &graphChecker{loc: loc}
	for _, in := range loc.Intents {
		p := "intents." + in.Name
		c.step(in, p+".initialNext", in.InitialNext)
		c.cond(in, p+".initialConditional", in.InitialConditional)
		c.hook(in, p+".initialCodeHook", in.InitialCodeHook)
		c.step(in, p+".closingNext", in.ClosingNext)
		c.cond(in, p+".closingConditional", in.ClosingConditional)
		if cf := in.Confirmation; cf != nil {
			c.outcome(in, p+".confirmation.confirmed", cf.Confirmed)
			c.step(in, p+".confirmation.declinationNext", cf.DeclinationNext)
			c.cond(in, p+".confirmation.declinationConditional", cf.DeclinationConditional)
			c.outcome(in, p+".confirmation.failure", cf.Failure)
			c.hook(in, p+".confirmation.codeHook", cf.CodeHook)
		}
		if f := in.Fulfillment; f != nil {
			c.step(in, p+".fulfillment.successNext", f.SuccessNext)
			c.cond(in, p+".fulfillment.successConditional", f.SuccessConditional)
			c.step(in, p+".fulfillment.failureNext", f.FailureNext)
			c.cond(in, p+".fulfillment.failureConditional", f.FailureConditional)
			c.step(in, p+".fulfillment.timeoutNext", f.TimeoutNext)
			c.cond(in, p+".fulfillment.timeoutConditional", f.TimeoutConditional)
		}
		for _, s := range in.Slots {
			sp := p + ".slots." + s.Name
			c.outcome(in, sp+".captureSuccess", s.CaptureSuccess)
			c.outcome(in, sp+".captureFailure", s.CaptureFailure)
			c.hook(in, sp+".captureCodeHook", s.CaptureCodeHook)
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &parley.Error{Code: parley.ErrValidation, Message: errors.Join(c.errs...).Error()}
}

type graphChecker struct {
	loc  *parley.Locale
	errs []error
}

func (c *graphChecker) add(path, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

func (c *graphChecker) hook(in *parley.Intent, path string, h *parley.CodeHookStep) {
	if h == nil {
		return
	}
	c.outcome(in, path+".success", h.Success)
	c.outcome(in, path+".failure", h.Failure)
	c.outcome(in, path+".timeout", h.Timeout)
}

func (c *graphChecker) outcome(in *parley.Intent, path string, o parley.StepOutcome) {
	c.step(in, path+".next", o.Next)
	c.cond(in, path+".conditional", o.Conditional)
}

func (c *graphChecker) cond(in *parley.Intent, path string, cd *parley.Conditional) {
	if cd == nil {
		return
	}
	if len(cd.Branches) > parley.MaxConditionalBranches {
		c.add(path, "%d branches, at most %d allowed", len(cd.Branches), parley.MaxConditionalBranches)
	}
	for i, b := range cd.Branches {
		bp := fmt.Sprintf("%s.branches[%d]", path, i)
		if b.Name == "" {
			c.add(bp, "a branch needs a name")
		}
		if _, err := ParseCondition(b.Condition); err != nil {
			c.add(bp+".condition", "%v", err)
		}
		c.step(in, bp+".next", b.Next)
	}
	c.step(in, path+".default.next", cd.Default.Next)
}

func (c *graphChecker) step(in *parley.Intent, path string, s *parley.DialogStep) {
	if s == nil {
		return
	}
	target := in
	if s.Intent != "" {
		if target = c.loc.Intent(s.Intent); target == nil {
			c.add(path+".intent", "no intent %q in locale %s", s.Intent, c.loc.ID)
			return
		}
	}
	for name := range s.Slots {
		if target.Slot(name) == nil {
			c.add(path+".slots."+name, "intent %s has no slot %q", target.Name, name)
		}
	}
	switch s.Type {
	case "", parley.StepElicitIntent, parley.StepEvaluateConditional, parley.StepInvokeDialogCodeHook,
		parley.StepConfirmIntent, parley.StepFulfillIntent, parley.StepCloseIntent, parley.StepEndConversation:
	case parley.StepStartIntent:
		if s.Intent == "" {
			c.add(path+".intent", "StartIntent needs the intent to start")
		}
	case parley.StepElicitSlot:
		if target.Slot(s.SlotToElicit) == nil {
			c.add(path+".slotToElicit", "intent %s has no slot %q", target.Name, s.SlotToElicit)
		}
	default:
		c.add(path+".type", "unknown step type %q", s.Type)
	}
}

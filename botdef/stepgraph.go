package botdef

import (
	"fmt"
	"maps"
	"slices"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

// Step graphs (FORMAT.md, "Step graphs"): next steps and conditionals with
// Lex's names, on the places Lex has them.

var (
	stepKeys         = keySet{keys: []string{"dialogAction", "intent", "sessionAttributes"}}
	dialogActionKeys = keySet{keys: []string{"type", "slotToElicit", "suppressNextMessage"}}
	stepIntentKeys   = keySet{keys: []string{"name", "slots"}}
	slotOverrideKeys = keySet{keys: []string{"shape", "value", "values"}}
	overrideValKeys  = keySet{keys: []string{"interpretedValue"}}
	conditionalKeys  = keySet{
		keys:    []string{"active", "conditionalBranches", "defaultBranch"},
		aliases: map[string]string{"isActive": "active", "branches": "conditionalBranches"},
	}
	branchKeys        = keySet{keys: []string{"name", "condition", "response", "nextStep"}}
	conditionKeys     = keySet{keys: []string{"expressionString"}}
	defaultBranchKeys = keySet{keys: []string{"response", "nextStep"}}
)

// stepTypes are the next step types Lex's DialogState allows.
var stepTypes = []string{
	string(parley.StepElicitIntent), string(parley.StepStartIntent), string(parley.StepElicitSlot),
	string(parley.StepEvaluateConditional), string(parley.StepInvokeDialogCodeHook), string(parley.StepConfirmIntent),
	string(parley.StepFulfillIntent), string(parley.StepCloseIntent), string(parley.StepEndConversation),
}

// outcomeKeys are the keys of one outcome of a step, Lex style:
// prefixResponse, prefixNextStep, prefixConditional.
func outcomeKeys(prefixes ...string) []string {
	var out []string
	for _, p := range prefixes {
		out = append(out, p+"Response", p+"NextStep", p+"Conditional")
	}
	return out
}

// Keys each setting gains for step graphs; decode.go and hooks.go append
// them to their key sets.
var (
	intentGraphKeys       = []string{"closingNextStep", "closingConditional"}
	initialGraphKeys      = []string{"nextStep", "conditional"}
	confirmationGraphKeys = append(outcomeKeys("confirmation", "failure"),
		"declinationNextStep", "declinationConditional", "codeHook", "elicitationCodeHook")
	fulfillmentGraphKeys = []string{"successNextStep", "successConditional", "failureNextStep", "failureConditional", "timeoutNextStep", "timeoutConditional"}
	slotGraphKeys        = append(outcomeKeys("capture", "failure"), "captureCodeHook")
	hookGraphKeys        = outcomeKeys("success", "failure", "timeout")
)

// outcome decodes prefixResponse, prefixNextStep and prefixConditional of o.
func (d *doc) outcome(o *object, prefix string) parley.StepOutcome {
	var out parley.StepOutcome
	if o.has(prefix + "Response") {
		out.Response = d.response(o.value(prefix+"Response"), prefix+"Response")
	}
	out.Next = d.nextStep(o, prefix+"NextStep")
	out.Conditional = d.conditional(o, prefix+"Conditional")
	return out
}

// nextStep decodes key of o as a next step: a step type alone
// ("FulfillIntent"), or Lex's DialogState {dialogAction, intent,
// sessionAttributes}; nil when absent.
func (d *doc) nextStep(o *object, key string) *parley.DialogStep {
	if !o.has(key) {
		return nil
	}
	return d.dialogStep(o.value(key), key)
}

func (d *doc) dialogStep(raw ast.Node, what string) *parley.DialogStep {
	if !d.isMapping(raw) {
		s, ok := d.scalar(raw, what)
		if !ok {
			return nil
		}
		st := &parley.DialogStep{Type: parley.StepType(s)}
		d.checkStepType(raw, st)
		return st
	}
	o := d.object(raw, what, stepKeys)
	if o == nil {
		return nil
	}
	st := &parley.DialogStep{}
	if a := o.value("dialogAction"); d.resolveQuiet(a) != nil {
		if !d.isMapping(a) {
			s, _ := d.scalar(a, what+" dialogAction")
			st.Type = parley.StepType(s)
		} else if ao := d.object(a, what+" dialogAction", dialogActionKeys); ao != nil {
			if ao.require("type") {
				st.Type = parley.StepType(ao.str("type"))
			}
			st.SlotToElicit = ao.str("slotToElicit")
			st.SuppressNextMessage = ao.boolean("suppressNextMessage")
			if st.Type == parley.StepElicitSlot && st.SlotToElicit == "" {
				d.errorf(ao.node, "%s: ElicitSlot needs slotToElicit", what)
			}
		}
		d.checkStepType(a, st)
	}
	if in := o.value("intent"); d.resolveQuiet(in) != nil {
		if !d.isMapping(in) {
			st.Intent, _ = d.scalar(in, what+" intent")
		} else if io := d.object(in, what+" intent", stepIntentKeys); io != nil {
			st.Intent = io.str("name")
			st.Slots = d.slotOverrides(io.value("slots"), what+" intent slots")
		}
	}
	if st.Type == parley.StepStartIntent && st.Intent == "" {
		d.errorf(o.node, "%s: StartIntent needs the intent to start (intent: NAME)", what)
	}
	st.SessionAttributes = d.stringMap(o.value("sessionAttributes"), what+" sessionAttributes")
	return st
}

func (d *doc) checkStepType(at ast.Node, st *parley.DialogStep) {
	if st.Type != "" && !slices.Contains(stepTypes, string(st.Type)) {
		d.errorf(at, "unknown next step type %q%s", st.Type, suggest(string(st.Type), stepTypes))
	}
}

// slotOverrides decodes a next step's slot values: a value, null (clears
// the slot), or Lex's {value: {interpretedValue}}.
func (d *doc) slotOverrides(raw ast.Node, what string) map[string]*parley.SlotValue {
	n := d.resolve(raw)
	if n == nil {
		return nil
	}
	entries, ok := mappingValues(n)
	if !ok {
		d.errorf(raw, "%s must be a mapping from slot name to value, got %s", what, kind(n))
		return nil
	}
	out := map[string]*parley.SlotValue{}
	for _, e := range entries {
		name, ok := d.keyText(e.Key)
		if !ok {
			continue
		}
		out[name] = nil
		switch {
		case d.resolveQuiet(e.Value) == nil:
		case d.isMapping(e.Value):
			so := d.object(e.Value, fmt.Sprintf("%s %s", what, name), slotOverrideKeys)
			if so == nil || !so.has("value") {
				continue
			}
			vo := d.object(so.value("value"), fmt.Sprintf("%s %s value", what, name), overrideValKeys)
			if vo != nil && vo.has("interpretedValue") {
				v := vo.str("interpretedValue")
				out[name] = parley.ScalarSlot(v, v, v)
			}
		default:
			if v, ok := d.scalar(e.Value, fmt.Sprintf("%s %s", what, name)); ok {
				out[name] = parley.ScalarSlot(v, v, v)
			}
		}
	}
	return out
}

// stringMap decodes a mapping of strings; nil for null or empty.
func (d *doc) stringMap(raw ast.Node, what string) map[string]string {
	n := d.resolve(raw)
	if n == nil {
		return nil
	}
	entries, ok := mappingValues(n)
	if !ok {
		d.errorf(raw, "%s must be a mapping of names to strings, got %s", what, kind(n))
		return nil
	}
	var out map[string]string
	for _, e := range entries {
		k, ok := d.keyText(e.Key)
		if !ok {
			continue
		}
		v, ok := d.scalar(e.Value, fmt.Sprintf("%s %s", what, k))
		if !ok {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out
}

// conditional decodes key of o as Lex's conditional {active,
// conditionalBranches, defaultBranch}; active defaults to true.
func (d *doc) conditional(o *object, key string) *parley.Conditional {
	if !o.has(key) {
		return nil
	}
	co := d.object(o.value(key), key, conditionalKeys)
	if co == nil {
		return nil
	}
	c := &parley.Conditional{Active: true}
	if co.has("active") {
		c.Active = co.boolean("active")
	}
	branches := co.list("conditionalBranches")
	if len(branches) > parley.MaxConditionalBranches {
		d.errorf(co.at("conditionalBranches"), "%s has %d branches; Lex allows at most %d besides defaultBranch", key, len(branches), parley.MaxConditionalBranches)
	}
	for i, item := range branches {
		what := fmt.Sprintf("%s branch %d", key, i+1)
		bo := d.object(item, what, branchKeys)
		if bo == nil {
			d.nullItem(item, "a branch")
			continue
		}
		b := parley.ConditionalBranch{}
		if bo.require("name", "condition") {
			b.Name = bo.str("name")
			if !validName(b.Name) {
				d.errorf(bo.at("name"), "branch name %q must be letters and digits, optionally joined by single _ or - (at most 100)", b.Name)
			}
			b.Condition = d.condition(bo.value("condition"), what)
		}
		if bo.has("response") {
			b.Response = d.response(bo.value("response"), what+" response")
		}
		b.Next = d.nextStep(bo, "nextStep")
		c.Branches = append(c.Branches, b)
	}
	if do := d.object(co.value("defaultBranch"), key+" defaultBranch", defaultBranchKeys); do != nil {
		if do.has("response") {
			c.Default.Response = d.response(do.value("response"), key+" defaultBranch response")
		}
		c.Default.Next = d.nextStep(do, "nextStep")
	}
	return c
}

// condition decodes a branch's condition: the expression, or Lex's
// {expressionString}. The expression's syntax is checked when the bot is
// run (dialog.CheckGraph); here only what can be seen without parsing it.
func (d *doc) condition(raw ast.Node, what string) string {
	at := raw
	var s string
	if d.isMapping(raw) {
		co := d.object(raw, what+" condition", conditionKeys)
		if co == nil || !co.require("expressionString") {
			return ""
		}
		s, at = co.str("expressionString"), co.at("expressionString")
	} else {
		var ok bool
		if s, ok = d.scalar(raw, what+" condition"); !ok {
			return ""
		}
	}
	if msg := conditionProblem(s); msg != "" {
		d.errorf(at, "%s condition %q: %s", what, s, msg)
	}
	return s
}

// conditionProblem finds what is plainly wrong with a condition: empty,
// too long, or unbalanced brackets and quotes.
func conditionProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > parley.MaxConditionLength {
		return fmt.Sprintf("longer than %d characters", parley.MaxConditionLength)
	}
	var stack []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return "a string is not closed"
			}
			i = j
		case '(', '{', '[':
			stack = append(stack, c)
		case ')', '}', ']':
			open := map[byte]byte{')': '(', '}': '{', ']': '['}[c]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return fmt.Sprintf("%q has no matching %q", c, open)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Sprintf("%q is not closed", stack[len(stack)-1])
	}
	return ""
}

// initialGraph decodes initialResponse's nextStep and conditional.
func (d *doc) initialGraph(o *object, in *parley.Intent) {
	in.InitialNext = d.nextStep(o, "nextStep")
	in.InitialConditional = d.conditional(o, "conditional")
}

// intentGraph decodes the closing's next step and conditional.
func (d *doc) intentGraph(o *object, in *parley.Intent) {
	in.ClosingNext = d.nextStep(o, "closingNextStep")
	in.ClosingConditional = d.conditional(o, "closingConditional")
}

// confirmationGraph decodes the outcomes of the confirmation step.
func (d *doc) confirmationGraph(o *object, c *parley.ConfirmationSetting) {
	c.Confirmed = d.outcome(o, "confirmation")
	c.DeclinationNext = d.nextStep(o, "declinationNextStep")
	c.DeclinationConditional = d.conditional(o, "declinationConditional")
	c.Failure = d.outcome(o, "failure")
	if o.has("codeHook") {
		c.CodeHook = d.stepHook(o.value("codeHook"), "confirmation codeHook")
	}
	if o.has("elicitationCodeHook") {
		c.ElicitationCodeHook = d.stepHook(o.value("elicitationCodeHook"), "confirmation elicitationCodeHook")
	}
}

// fulfillmentGraph decodes what follows each fulfillment outcome.
func (d *doc) fulfillmentGraph(o *object, f *parley.FulfillmentSetting) {
	f.SuccessNext = d.nextStep(o, "successNextStep")
	f.SuccessConditional = d.conditional(o, "successConditional")
	f.FailureNext = d.nextStep(o, "failureNextStep")
	f.FailureConditional = d.conditional(o, "failureConditional")
	f.TimeoutNext = d.nextStep(o, "timeoutNextStep")
	f.TimeoutConditional = d.conditional(o, "timeoutConditional")
}

// slotGraph decodes a slot's capture outcomes and capture code hook.
func (d *doc) slotGraph(o *object, s *parley.Slot) {
	s.CaptureSuccess = d.outcome(o, "capture")
	s.CaptureFailure = d.outcome(o, "failure")
	if o.has("captureCodeHook") {
		s.CaptureCodeHook = d.stepHook(o.value("captureCodeHook"), "captureCodeHook")
	}
}

// hookGraph decodes a step hook's success, failure and timeout outcomes.
func (d *doc) hookGraph(o *object, h *parley.CodeHookStep) {
	h.Success = d.outcome(o, "success")
	h.Failure = d.outcome(o, "failure")
	h.Timeout = d.outcome(o, "timeout")
}

// checkStepGraphs checks that the next steps of a locale's intents name
// intents and slots that exist; problems point at the intent.
func (c *collector) checkStepGraphs(ld *localeDef) {
	for _, id := range ld.intents {
		g := graphRefs{c: c, loc: ld.loc, in: id.in, at: id.at}
		in := id.in
		g.step("initialResponse nextStep", in.InitialNext)
		g.cond("initialResponse conditional", in.InitialConditional)
		g.hook("initialResponse codeHook", in.InitialCodeHook)
		g.step("closingNextStep", in.ClosingNext)
		g.cond("closingConditional", in.ClosingConditional)
		if cf := in.Confirmation; cf != nil {
			g.outcome("confirmation confirmation", cf.Confirmed)
			g.step("confirmation declinationNextStep", cf.DeclinationNext)
			g.cond("confirmation declinationConditional", cf.DeclinationConditional)
			g.outcome("confirmation failure", cf.Failure)
			g.hook("confirmation codeHook", cf.CodeHook)
		}
		if f := in.Fulfillment; f != nil {
			g.step("fulfillment successNextStep", f.SuccessNext)
			g.cond("fulfillment successConditional", f.SuccessConditional)
			g.step("fulfillment failureNextStep", f.FailureNext)
			g.cond("fulfillment failureConditional", f.FailureConditional)
			g.step("fulfillment timeoutNextStep", f.TimeoutNext)
			g.cond("fulfillment timeoutConditional", f.TimeoutConditional)
		}
		for _, s := range in.Slots {
			g.outcome("slot "+s.Name+" capture", s.CaptureSuccess)
			g.outcome("slot "+s.Name+" failure", s.CaptureFailure)
			g.hook("slot "+s.Name+" captureCodeHook", s.CaptureCodeHook)
		}
	}
}

type graphRefs struct {
	c   *collector
	loc *parley.Locale
	in  *parley.Intent
	at  pos
}

func (g graphRefs) hook(what string, h *parley.CodeHookStep) {
	if h == nil {
		return
	}
	g.outcome(what+" success", h.Success)
	g.outcome(what+" failure", h.Failure)
	g.outcome(what+" timeout", h.Timeout)
}

func (g graphRefs) outcome(what string, o parley.StepOutcome) {
	g.step(what+"NextStep", o.Next)
	g.cond(what+"Conditional", o.Conditional)
}

func (g graphRefs) cond(what string, c *parley.Conditional) {
	if c == nil {
		return
	}
	for _, b := range c.Branches {
		g.step(what+" branch "+b.Name+" nextStep", b.Next)
	}
	g.step(what+" defaultBranch nextStep", c.Default.Next)
}

func (g graphRefs) step(what string, s *parley.DialogStep) {
	if s == nil {
		return
	}
	target := g.in
	if s.Intent != "" {
		if target = g.loc.Intent(s.Intent); target == nil {
			g.c.add(g.at, "intent %s, %s: no intent %q in locale %s", g.in.Name, what, s.Intent, g.loc.ID)
			return
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Slots)) {
		if target.Slot(name) == nil {
			g.c.add(g.at, "intent %s, %s: intent %s has no slot %q", g.in.Name, what, target.Name, name)
		}
	}
	if s.Type == parley.StepElicitSlot && s.SlotToElicit != "" && target.Slot(s.SlotToElicit) == nil {
		g.c.add(g.at, "intent %s, %s: intent %s has no slot %q to elicit", g.in.Name, what, target.Name, s.SlotToElicit)
	}
}

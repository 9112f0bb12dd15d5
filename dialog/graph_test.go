package dialog_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

// graphBot is a step-graph bot shaped like the ReminderBot fixture: an
// initial conditional and labelled code hooks, a capture conditional that
// clears and re-elicits a slot, a failure that jumps to a FallbackIntent
// counting its turns in session attributes, a jump to intent with preset
// slots, and confirmation and fulfillment outcomes.
func graphBot() (*parley.Bot, *parley.Locale) {
	end := &parley.DialogStep{Type: parley.StepEndConversation}
	elicitDays := &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Days", SuppressNextMessage: true, Slots: map[string]*parley.SlotValue{"Days": nil}}
	notFailed := `(!fn.IS_SET([slot-failure]) OR [slot-failure] != "true")`
	fallbackStep := func(n string) *parley.DialogStep {
		return &parley.DialogStep{Type: parley.StepElicitIntent, SessionAttributes: map[string]string{"fallback-count": n}}
	}
	loc := &parley.Locale{
		ID: "en_US",
		Intents: []*parley.Intent{
			{
				Name: "Email",
				Slots: []*parley.Slot{{
					Name: "Days", SlotTypeName: "AMAZON.Number", Required: true, Prompt: prompt(1, "How many days before?"),
					CaptureSuccess: parley.StepOutcome{
						Next: &parley.DialogStep{Type: parley.StepEvaluateConditional},
						Conditional: &parley.Conditional{Active: true, Branches: []parley.ConditionalBranch{
							{Name: "TooMany", Condition: "{Days} > 7", Response: resp("At most 7."), Next: elicitDays},
							{Name: "TooFew", Condition: "{Days} < 1", Response: resp("At least 1."), Next: elicitDays},
						}, Default: parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepFulfillIntent}}},
					},
					CaptureFailure: parley.StepOutcome{Next: &parley.DialogStep{
						Type: parley.StepStartIntent, Intent: "FallbackIntent", SessionAttributes: map[string]string{"slot-failure": "true"},
					}},
				}},
				InitialNext: &parley.DialogStep{Type: parley.StepEvaluateConditional, SessionAttributes: map[string]string{"fallback-count": "0", "slot-failure": "false"}},
				InitialConditional: &parley.Conditional{Active: true,
					Branches: []parley.ConditionalBranch{{Name: "DaysSet", Condition: "fn.IS_SET({Days})", Next: &parley.DialogStep{Type: parley.StepInvokeDialogCodeHook}}},
					Default:  parley.StepOutcome{Response: resp("We email up to a week before."), Next: &parley.DialogStep{Type: parley.StepInvokeDialogCodeHook}},
				},
				InitialCodeHook: &parley.CodeHookStep{
					InvocationLabel: "Email_Init",
					Success:         parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Days"}},
					Failure:         parley.StepOutcome{Response: resp("Hook failed."), Next: end},
					Timeout:         parley.StepOutcome{Response: resp("Hook timed out."), Next: end},
				},
				DialogCodeHook: true,
				Fulfillment: &parley.FulfillmentSetting{
					SuccessResponse: resp("Email set {Days} days before."),
					SuccessNext:     &parley.DialogStep{Type: parley.StepCloseIntent},
				},
				Closing:     resp("Anything else?"),
				ClosingNext: &parley.DialogStep{Type: parley.StepElicitIntent},
			},
			{
				// Jump to Email with the days preset: no elicitation, no
				// initial message.
				Name:        "QuickEmail",
				InitialNext: &parley.DialogStep{Type: parley.StepStartIntent, Intent: "Email", Slots: map[string]*parley.SlotValue{"Days": slot("3")}},
			},
			{
				// Jump to Call with the time preset: its elicitation is skipped.
				Name:        "QuickCall",
				InitialNext: &parley.DialogStep{Type: parley.StepStartIntent, Intent: "Call", Slots: map[string]*parley.SlotValue{"Time": slot("09:00")}},
			},
			{
				Name:  "Call",
				Slots: []*parley.Slot{{Name: "Time", SlotTypeName: "AMAZON.Time", Required: true, Prompt: prompt(0, "What time?")}},
				Confirmation: &parley.ConfirmationSetting{
					Prompt:              prompt(0, "Call at {Time}?"),
					DeclinationResponse: resp("Let's pick another time."),
					DeclinationNext:     &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Time", Slots: map[string]*parley.SlotValue{"Time": nil}},
					Confirmed:           parley.StepOutcome{Response: resp("Booking."), Next: &parley.DialogStep{Type: parley.StepFulfillIntent, SessionAttributes: map[string]string{"booked": "yes"}}},
					Failure:             parley.StepOutcome{Response: resp("No call then."), Next: &parley.DialogStep{Type: parley.StepElicitIntent}},
				},
				Fulfillment: &parley.FulfillmentSetting{
					CodeHook:        true,
					SuccessResponse: resp("Call booked."),
					FailureResponse: resp("Could not book."),
					FailureNext:     &parley.DialogStep{Type: parley.StepElicitIntent},
					TimeoutConditional: &parley.Conditional{Active: true, Default: parley.StepOutcome{
						Response: resp("Still booking, ask again."), Next: &parley.DialogStep{Type: parley.StepElicitIntent},
					}},
				},
			},
			{
				Name:            "Greet",
				InitialResponse: resp("Welcome!"),
				ClosingNext:     &parley.DialogStep{Type: parley.StepElicitIntent},
			},
			{
				Name:        "SilentGreet",
				InitialNext: &parley.DialogStep{Type: parley.StepStartIntent, Intent: "Greet", SuppressNextMessage: true},
			},
			{
				Name:        "Loop",
				InitialNext: &parley.DialogStep{Type: parley.StepStartIntent, Intent: "Loop"},
			},
			{
				Name:                  "FallbackIntent",
				ParentIntentSignature: parley.FallbackIntentSignature,
				InitialNext:           &parley.DialogStep{Type: parley.StepEvaluateConditional},
				InitialConditional: &parley.Conditional{Active: true, Branches: []parley.ConditionalBranch{
					{Name: "Initial", Condition: `(!fn.IS_SET([fallback-count]) OR [fallback-count] = "" OR [fallback-count] = "0") AND ` + notFailed, Response: resp("Sorry, rephrase?"), Next: fallbackStep("1")},
					{Name: "Retry1", Condition: `[fallback-count] = "1" AND ` + notFailed, Response: resp("Call or email?"), Next: fallbackStep("2")},
					{Name: "Retry2", Condition: `[fallback-count] >= 2 AND ` + notFailed, Response: resp("Say 'email reminder'."), Next: fallbackStep("3")},
					{Name: "SlotFallback", Condition: `[slot-failure] = "true" `, Response: resp("I could not understand your answer.")},
				}, Default: parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepFulfillIntent}}},
			},
		},
	}
	return &parley.Bot{ID: "REMINDBOT1", Name: "Reminder", Locales: []*parley.Locale{loc}}, loc
}

// graphHooks answers code hooks by label: an error to return, or else
// Delegate with the event's state. It records the labels it saw.
type graphHooks struct {
	fail   map[string]error
	failed map[string]bool // answer Delegate with the intent Failed
	seen   []string
}

func (h *graphHooks) invoke(ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	label := ev.InvocationLabel
	if ev.InvocationSource == parley.FulfillmentCodeHook {
		label = "fulfil"
	}
	h.seen = append(h.seen, label)
	if err := h.fail[label]; err != nil {
		return nil, err
	}
	r := delegate(ev)
	if h.failed[label] {
		r.SessionState.Intent.State = parley.IntentFailed
	}
	return r, nil
}

func graphStep(t *testing.T, s *parley.Session, u *parley.Understanding, h *graphHooks) *parley.Session {
	t.Helper()
	bot, loc := graphBot()
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: u, Text: "input", Now: t0})
	for out.Pending != nil {
		r, err := h.invoke(out.Pending.Event)
		out = dialog.Resume(out.Pending, r, err)
	}
	if out.Err != nil {
		t.Fatalf("turn failed: %v", out.Err)
	}
	if err := out.Session.State.Validate("sessionState"); err != nil {
		t.Fatalf("invalid state: %v", err)
	}
	return out.Session
}

// graphSummary renders intent, slots, action, messages and attributes.
func graphSummary(s *parley.Session) string {
	var b strings.Builder
	st := s.State
	if st.Intent != nil {
		b.WriteString(st.Intent.Name + " " + string(st.Intent.State))
		var names []string
		for n := range st.Intent.Slots {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			v := "-"
			if sv := st.Intent.Slots[n]; sv != nil {
				v = sv.Value.InterpretedValue
			}
			b.WriteString(" " + n + "=" + v)
		}
	}
	if st.DialogAction != nil {
		b.WriteString(" | " + string(st.DialogAction.Type))
		if st.DialogAction.SlotToElicit != "" {
			b.WriteString(" " + st.DialogAction.SlotToElicit)
		}
	}
	for _, m := range s.Messages {
		b.WriteString(" | " + m.Content)
	}
	var keys []string
	for k := range st.SessionAttributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(" [" + k + "=" + st.SessionAttributes[k] + "]")
	}
	return b.String()
}

func TestStepGraph(t *testing.T) {
	fb := match("FallbackIntent", 0)
	type turn struct {
		u     *parley.Understanding
		want  string
		hooks string // labels of the hooks called this turn, comma-separated
	}
	tests := []struct {
		name  string
		hooks *graphHooks
		turns []turn
	}{
		{"initial conditional default branch, labelled hook, capture default to fulfilment, closing to ElicitIntent", &graphHooks{}, []turn{
			{und("", nil, match("Email", 0.9), fb), "Email InProgress Days=- | ElicitSlot Days | We email up to a week before. | How many days before? [fallback-count=0] [slot-failure=false]", "Email_Init"},
			{und("", []string{"Days=3"}, fb), "Email Fulfilled Days=3 | ElicitIntent | Email set 3 days before. | Anything else? [fallback-count=0] [slot-failure=false]", ""},
		}},
		{"initial conditional first branch with fn.IS_SET", &graphHooks{}, []turn{
			{und("", nil, match("Email", 0.9, "Days=2"), fb), "Email InProgress Days=2 | ElicitSlot Days | How many days before? [fallback-count=0] [slot-failure=false]", "Email_Init"},
		}},
		{"capture branch > clears the slot and elicits it without its prompt", &graphHooks{}, []turn{
			{und("", nil, match("Email", 0.9), fb), "Email InProgress Days=- | ElicitSlot Days | We email up to a week before. | How many days before? [fallback-count=0] [slot-failure=false]", "Email_Init"},
			{und("", []string{"Days=10"}, fb), "Email InProgress Days=- | ElicitSlot Days | At most 7. [fallback-count=0] [slot-failure=false]", ""},
			{und("", []string{"Days=0"}, fb), "Email InProgress Days=- | ElicitSlot Days | At least 1. [fallback-count=0] [slot-failure=false]", ""},
			{und("", []string{"Days=7"}, fb), "Email Fulfilled Days=7 | ElicitIntent | Email set 7 days before. | Anything else? [fallback-count=0] [slot-failure=false]", ""},
		}},
		{"capture failure jumps to the fallback, which branches on the attribute it set", &graphHooks{}, []turn{
			{und("", nil, match("Email", 0.9), fb), "Email InProgress Days=- | ElicitSlot Days | We email up to a week before. | How many days before? [fallback-count=0] [slot-failure=false]", "Email_Init"},
			{und("", nil, fb), "Email InProgress Days=- | ElicitSlot Days | How many days before? [fallback-count=0] [slot-failure=false]", ""},
			{und("", nil, fb), "FallbackIntent Fulfilled | Close | I could not understand your answer. [fallback-count=0] [slot-failure=true]", ""},
		}},
		{"fallback counts its turns in session attributes", &graphHooks{}, []turn{
			{und("", nil, fb), "FallbackIntent InProgress | ElicitIntent | Sorry, rephrase? [fallback-count=1]", ""},
			{und("", nil, fb), "FallbackIntent InProgress | ElicitIntent | Call or email? [fallback-count=2]", ""},
			{und("", nil, fb), "FallbackIntent InProgress | ElicitIntent | Say 'email reminder'. [fallback-count=3]", ""},
			{und("", nil, match("Email", 0.9, "Days=1"), fb), "Email InProgress Days=1 | ElicitSlot Days | How many days before? [fallback-count=0] [slot-failure=false]", "Email_Init"},
		}},
		{"jump to intent with preset slots", &graphHooks{}, []turn{
			{und("", nil, match("QuickEmail", 0.9), fb), "Email InProgress Days=3 | ElicitSlot Days | How many days before? [fallback-count=0] [slot-failure=false]", "Email_Init"},
		}},
		{"jump to intent skips the elicitation of preset slots", &graphHooks{}, []turn{
			{und("", nil, match("QuickCall", 0.9), fb), "Call InProgress Time=09:00 | ConfirmIntent | Call at 09:00?", ""},
		}},
		{"closing next step waits for the next intent", &graphHooks{}, []turn{
			{und("", nil, match("Greet", 0.9), fb), "Greet Fulfilled | ElicitIntent | Welcome!", ""},
		}},
		{"jump to intent with suppressNextMessage skips its initial response", &graphHooks{}, []turn{
			{und("", nil, match("SilentGreet", 0.9), fb), "Greet Fulfilled | ElicitIntent", ""},
		}},
		{"step hook failure outcome", &graphHooks{fail: map[string]error{"Email_Init": errors.New("boom")}}, []turn{
			{und("", nil, match("Email", 0.9), fb), "Email Failed Days=- | Close | We email up to a week before. | Hook failed. [fallback-count=0] [slot-failure=false]", "Email_Init"},
		}},
		{"step hook answering Failed takes the failure outcome", &graphHooks{failed: map[string]bool{"Email_Init": true}}, []turn{
			{und("", nil, match("Email", 0.9), fb), "Email Failed Days=- | Close | We email up to a week before. | Hook failed. [fallback-count=0] [slot-failure=false]", "Email_Init"},
		}},
		{"step hook timeout outcome", &graphHooks{fail: map[string]error{"Email_Init": context.DeadlineExceeded}}, []turn{
			{und("", nil, match("Email", 0.9), fb), "Email Failed Days=- | Close | We email up to a week before. | Hook timed out. [fallback-count=0] [slot-failure=false]", "Email_Init"},
		}},
		{"confirmed outcome sets an attribute and fulfils", &graphHooks{}, []turn{
			{und("", nil, match("Call", 0.9, "Time=10:00"), fb), "Call InProgress Time=10:00 | ConfirmIntent | Call at 10:00?", ""},
			{und(parley.AnswerYes, nil, fb), "Call Fulfilled Time=10:00 | Close | Booking. | Call booked. [booked=yes]", "fulfil"},
		}},
		{"declination next step re-elicits a cleared slot", &graphHooks{}, []turn{
			{und("", nil, match("Call", 0.9, "Time=10:00"), fb), "Call InProgress Time=10:00 | ConfirmIntent | Call at 10:00?", ""},
			{und(parley.AnswerNo, nil, fb), "Call InProgress Time=- | ElicitSlot Time | Let's pick another time. | What time?", ""},
			{und("", []string{"Time=11:00"}, fb), "Call InProgress Time=11:00 | ConfirmIntent | Call at 11:00?", ""},
		}},
		{"confirmation failure outcome", &graphHooks{}, []turn{
			{und("", nil, match("Call", 0.9, "Time=10:00"), fb), "Call InProgress Time=10:00 | ConfirmIntent | Call at 10:00?", ""},
			{und(parley.AnswerMaybe, nil, fb), "Call InProgress Time=10:00 | ElicitIntent | No call then.", ""},
		}},
		{"fulfillment failure next step", &graphHooks{fail: map[string]error{"fulfil": errors.New("down")}}, []turn{
			{und("", nil, match("Call", 0.9, "Time=10:00"), fb), "Call InProgress Time=10:00 | ConfirmIntent | Call at 10:00?", ""},
			{und(parley.AnswerYes, nil, fb), "Call Failed Time=10:00 | ElicitIntent | Booking. | Could not book. [booked=yes]", "fulfil"},
		}},
		{"fulfillment timeout conditional default branch", &graphHooks{fail: map[string]error{"fulfil": context.DeadlineExceeded}}, []turn{
			{und("", nil, match("Call", 0.9, "Time=10:00"), fb), "Call InProgress Time=10:00 | ConfirmIntent | Call at 10:00?", ""},
			{und(parley.AnswerYes, nil, fb), "Call Failed Time=10:00 | ElicitIntent | Booking. | Still booking, ask again. [booked=yes]", "fulfil"},
		}},
		{"a graph that loops ends the turn", &graphHooks{}, []turn{
			{und("", nil, match("Loop", 0.9), fb), "Loop Failed | Close", ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession()
			for i, tr := range tc.turns {
				tc.hooks.seen = nil
				s = graphStep(t, s, tr.u, tc.hooks)
				if got := graphSummary(s); got != tr.want {
					t.Fatalf("turn %d:\n got %s\nwant %s", i+1, got, tr.want)
				}
				if got := strings.Join(tc.hooks.seen, ","); got != tr.hooks {
					t.Errorf("turn %d: hooks %q, want %q", i+1, got, tr.hooks)
				}
			}
		})
	}
}

func TestIsStepGraph(t *testing.T) {
	_, pizza := pizzaBot()
	for _, in := range pizza.Intents {
		if in.IsStepGraph() {
			t.Errorf("classic intent %s reported as a step graph", in.Name)
		}
	}
	_, loc := graphBot()
	for _, in := range loc.Intents {
		if !in.IsStepGraph() {
			t.Errorf("intent %s not reported as a step graph", in.Name)
		}
	}
}

func TestCheckGraph(t *testing.T) {
	_, loc := graphBot()
	if err := dialog.CheckGraph(loc); err != nil {
		t.Fatalf("graphBot: %v", err)
	}
	tests := []struct {
		name    string
		breakIt func(loc *parley.Locale)
		want    string
	}{
		{"bad condition", func(loc *parley.Locale) {
			loc.Intent("Email").InitialConditional.Branches[0].Condition = "fn.IS_SET({Days}"
		}, "intents.Email.initialConditional.branches[0].condition"},
		{"five branches", func(loc *parley.Locale) {
			c := loc.Intent("FallbackIntent").InitialConditional
			c.Branches = append(c.Branches, c.Branches[0])
		}, "5 branches, at most 4"},
		{"unnamed branch", func(loc *parley.Locale) {
			loc.Intent("FallbackIntent").InitialConditional.Branches[1].Name = ""
		}, "branches[1]: a branch needs a name"},
		{"unknown intent", func(loc *parley.Locale) { loc.Intent("QuickEmail").InitialNext.Intent = "Nope" }, `intents.QuickEmail.initialNext.intent: no intent "Nope"`},
		{"unknown slot to elicit", func(loc *parley.Locale) {
			loc.Intent("Email").InitialCodeHook.Success.Next.SlotToElicit = "Weeks"
		}, `intents.Email.initialCodeHook.success.next.slotToElicit: intent Email has no slot "Weeks"`},
		{"unknown slot to set", func(loc *parley.Locale) {
			loc.Intent("Call").Confirmation.DeclinationNext.Slots["Date"] = nil
		}, `intents.Call.confirmation.declinationNext.slots.Date`},
		{"unknown type", func(loc *parley.Locale) { loc.Intent("Call").Fulfillment.FailureNext.Type = "Jump" }, `unknown step type "Jump"`},
		{"StartIntent without intent", func(loc *parley.Locale) { loc.Intent("Loop").InitialNext.Intent = "" }, "StartIntent needs the intent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, loc := graphBot()
			tt.breakIt(loc)
			err := dialog.CheckGraph(loc)
			if err == nil || parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("CheckGraph = %v, want a ValidationException containing %q", err, tt.want)
			}
		})
	}
}

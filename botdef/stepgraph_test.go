package botdef_test

import (
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
)

// TestLoadStepGraph loads the step-graph bot of the golden transcripts and
// checks that each kind of setting lands on the model.
func TestLoadStepGraph(t *testing.T) {
	b, err := botdef.Load("../testdata/transcripts/stepgraph/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	loc := b.Locale("en_US")
	email, call, quick, status := loc.Intent("EmailReminder"), loc.Intent("CallReminder"), loc.Intent("QuickReminder"), loc.Intent("CheckStatus")
	if email == nil || call == nil || quick == nil || status == nil {
		t.Fatal("intents missing")
	}
	for _, in := range loc.Intents {
		if !in.IsStepGraph() {
			t.Errorf("%s is not a step graph", in.Name)
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"initial nextStep with attributes", email.InitialNext != nil && email.InitialNext.Type == parley.StepEvaluateConditional &&
			email.InitialNext.SessionAttributes["fallback-count"] == "0"},
		{"initial conditional", email.InitialConditional != nil && email.InitialConditional.Active &&
			len(email.InitialConditional.Branches) == 1 && email.InitialConditional.Branches[0].Condition == "fn.IS_SET({Days})" &&
			email.InitialConditional.Branches[0].Next.Type == parley.StepInvokeDialogCodeHook &&
			email.InitialConditional.Default.Response != nil},
		{"initial code hook with outcomes", email.InitialCodeHook != nil && email.InitialCodeHook.InvocationLabel == "EmailReminder_Init" &&
			email.InitialCodeHook.Failure.Response != nil && email.InitialCodeHook.Failure.Next.Type == parley.StepEndConversation &&
			email.InitialCodeHook.Success.IsZero()},
		{"capture conditional clears the slot (null)", func() bool {
			br := email.Slots[0].CaptureSuccess.Conditional.Branches[0]
			v, present := br.Next.Slots["Days"]
			return br.Condition == "{Days} > 7" && br.Next.SuppressNextMessage && br.Next.SlotToElicit == "Days" && present && v == nil
		}()},
		{"capture conditional clears the slot (Lex form)", func() bool {
			br := email.Slots[0].CaptureSuccess.Conditional.Branches[1]
			v, present := br.Next.Slots["Days"]
			return br.Condition == "{Days} < 1" && present && v == nil
		}()},
		{"capture failure jumps with an attribute", email.Slots[0].CaptureFailure.Next != nil &&
			email.Slots[0].CaptureFailure.Next.Type == parley.StepStartIntent && email.Slots[0].CaptureFailure.Next.Intent == "FallbackIntent" &&
			email.Slots[0].CaptureFailure.Next.SessionAttributes["slot-failure"] == "true"},
		{"fulfillment and closing next steps", email.Fulfillment.SuccessNext.Type == parley.StepCloseIntent && email.ClosingNext.Type == parley.StepElicitIntent},
		{"confirmation outcomes", call.Confirmation.Confirmed.Response != nil && call.Confirmation.Confirmed.Next.SessionAttributes["reminder"] == "call" &&
			call.Confirmation.DeclinationNext.SlotToElicit == "Time"},
		{"jump with a preset slot", quick.InitialNext.Type == parley.StepStartIntent && quick.InitialNext.Intent == "EmailReminder" &&
			quick.InitialNext.Slots["Days"] != nil && quick.InitialNext.Slots["Days"].Value.InterpretedValue == "1"},
		{"four branches and a default", len(status.InitialConditional.Branches) == 4 && status.InitialConditional.Default.Next.Type == parley.StepEndConversation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Error("not decoded as expected")
			}
		})
	}
}

func TestInactiveConditional(t *testing.T) {
	b, err := botdef.Parse("inactive.yaml", []byte(`
id: INACTIVE01
name: Inactive
locales:
  en_US:
    intents:
      - name: Hi
        sampleUtterances: [hi]
        closingResponse: Hello.
        closingConditional:
          isActive: false
          conditionalBranches: [{name: A, condition: "[a] = 1", nextStep: ElicitIntent}]
`))
	if err != nil {
		t.Fatal(err)
	}
	c := b.Locales[0].Intent("Hi").ClosingConditional
	if c == nil || c.Active || len(c.Branches) != 1 {
		t.Fatalf("closingConditional = %+v, want an inactive one with its branch kept", c)
	}
}

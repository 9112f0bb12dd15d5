package dialog_test

import (
	"testing"
	"time"

	"github.com/parleybot/parley"
)

func TestStepFlows(t *testing.T) {
	fb := match("FallbackIntent", 0)
	type turn struct {
		u    *parley.Understanding
		want string // summary of the session after the turn
	}
	tests := []struct {
		name  string
		turns []turn
	}{
		{"slots up front, confirmed, fulfilled", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large", "Crust=thin", "Topping=mushroom"), fb),
				"OrderPizza InProgress None Size=large Crust=thin Topping=mushroom Note=- | ConfirmIntent | A large thin pizza with mushroom?"},
			{und(parley.AnswerYes, nil, fb),
				"OrderPizza Fulfilled Confirmed Size=large Crust=thin Topping=mushroom Note=- | Close | Your large pizza is on its way! | Thanks, [customer]."},
		}},
		{"slots elicited by priority; a later slot given before it is asked", []turn{
			{und("", nil, match("OrderPizza", 0.8), fb), "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Size | What size?"},
			{und("", []string{"Topping=cheese"}, fb), "OrderPizza InProgress None Size=- Crust=- Topping=cheese Note=- | ElicitSlot Size | What size?"},
			{und("", []string{"Size=small", "Crust=thick"}, fb), "OrderPizza InProgress None Size=small Crust=thick Topping=cheese Note=- | ConfirmIntent | A small thick pizza with cheese?"},
		}},
		{"retries exhausted hand over to the fallback", []turn{
			{und("", nil, match("OrderPizza", 0.8), fb), "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Size | What size?"},
			{und("", nil, fb), "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Size | What size?"},
			{und("", nil, fb), "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Size | What size?"},
			{und("", nil, fb), "OrderPizza Failed None Size=- Crust=- Topping=- Note=- | Close | Sorry?"},
			{und("", nil, match("CheckOrderStatus", 0.9), fb), "CheckOrderStatus Fulfilled None | Close | In the oven."},
		}},
		{"correction of a filled slot while another is elicited", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large"), fb), "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
			{und("", []string{"Size=medium"}, fb), "OrderPizza InProgress None Size=medium Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
		}},
		{"correction during confirmation re-confirms", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large", "Crust=thin", "Topping=cheese")), "OrderPizza InProgress None Size=large Crust=thin Topping=cheese Note=- | ConfirmIntent | A large thin pizza with cheese?"},
			{und("", []string{"Size=medium"}, fb), "OrderPizza InProgress None Size=medium Crust=thin Topping=cheese Note=- | ConfirmIntent | A medium thin pizza with cheese?"},
		}},
		{"confirmation denied", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large", "Crust=thin", "Topping=cheese")), "OrderPizza InProgress None Size=large Crust=thin Topping=cheese Note=- | ConfirmIntent | A large thin pizza with cheese?"},
			{und(parley.AnswerNo, nil, fb), "OrderPizza Failed Denied Size=large Crust=thin Topping=cheese Note=- | Close | Cancelled."},
		}},
		{"confirmation not understood, then failure", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large", "Crust=thin", "Topping=cheese")), "OrderPizza InProgress None Size=large Crust=thin Topping=cheese Note=- | ConfirmIntent | A large thin pizza with cheese?"},
			{und(parley.AnswerMaybe, nil, fb), "OrderPizza InProgress None Size=large Crust=thin Topping=cheese Note=- | ConfirmIntent | A large thin pizza with cheese?"},
			{und("", nil, fb), "OrderPizza Failed None Size=large Crust=thin Topping=cheese Note=- | Close | Sorry?"},
		}},
		{"intent switch while eliciting", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large"), fb), "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
			{und("", nil, match("CheckOrderStatus", 0.85), fb, match("OrderPizza", 0.1)), "CheckOrderStatus Fulfilled None | Close | In the oven."},
		}},
		{"a captured slot wins over another intent", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large"), fb), "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
			{und("", []string{"Crust=thin"}, match("CheckOrderStatus", 0.85), fb), "OrderPizza InProgress None Size=large Crust=thin Topping=- Note=- | ElicitSlot Topping | What topping?"},
		}},
		{"a low-scoring other intent does not switch", []turn{
			{und("", nil, match("OrderPizza", 0.9, "Size=large"), fb), "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
			{und("", nil, match("CheckOrderStatus", 0.3), fb), "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
		}},
		{"fallback ranked first", []turn{
			{und("", nil, fb, match("OrderPizza", 0.2)), "FallbackIntent Fulfilled None | Close | Sorry?"},
		}},
		{"free-form slot takes the whole input and never switches", []turn{
			{und("", nil, match("LeaveNote", 0.9), fb), "LeaveNote InProgress None Text=- | ElicitSlot Text | Sure. | Your note?"},
			{und("", nil, match("CheckOrderStatus", 0.95), fb), "LeaveNote Fulfilled None Text=input | Close"},
		}},
		{"an intent without messages closes silently", []turn{
			{und("", nil, match("Silent", 0.9), fb), "Silent Fulfilled None | Close"},
		}},
		{"after Close the next input is classified afresh", []turn{
			{und("", nil, match("CheckOrderStatus", 0.9), fb), "CheckOrderStatus Fulfilled None | Close | In the oven."},
			{und("", nil, match("CheckOrderStatus", 0.9), fb), "CheckOrderStatus Fulfilled None | Close | In the oven."},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession()
			for i, tr := range tc.turns {
				s = step(t, s, tr.u, t0.Add(time.Duration(i)*time.Minute))
				if got := summary(s); got != tr.want {
					t.Fatalf("turn %d:\n got %s\nwant %s", i+1, got, tr.want)
				}
			}
		})
	}
}

func TestStepDoesNotModifyInput(t *testing.T) {
	s := newSession()
	s = step(t, s, und("", nil, match("OrderPizza", 0.9, "Size=large")), t0)
	before := summary(s)
	_ = step(t, s, und("", []string{"Crust=thin"}), t0)
	if after := summary(s); after != before {
		t.Errorf("input session changed:\n%s\n%s", before, after)
	}
}

func TestInterpretations(t *testing.T) {
	fb := match("FallbackIntent", 0)
	tests := []struct {
		name string
		u    *parley.Understanding
		// prior turns
		prior []*parley.Understanding
		want  []string // name state score ("-" for none)
	}{
		{"fresh classification", und("", nil, match("OrderPizza", 0.9, "Size=large"), fb, match("CheckOrderStatus", 0.2)),
			nil, []string{"OrderPizza InProgress 0.9", "FallbackIntent ReadyForFulfillment -", "CheckOrderStatus ReadyForFulfillment 0.2"}},
		{"all required slots from the utterance", und("", nil, fb, match("OrderPizza", 0.3, "Size=large", "Crust=thin", "Topping=cheese")),
			nil, []string{"FallbackIntent Fulfilled -", "OrderPizza ReadyForFulfillment 0.3"}},
		{"a slot answer puts the current intent first", und("", []string{"Crust=thin"}, fb, match("CheckOrderStatus", 0.3)),
			[]*parley.Understanding{und("", nil, match("OrderPizza", 0.9, "Size=large"))},
			[]string{"OrderPizza InProgress 1", "FallbackIntent ReadyForFulfillment -", "CheckOrderStatus ReadyForFulfillment 0.3"}},
		{"a continued intent scores 1 wherever it was ranked", und("", []string{"Crust=thin"}, fb, match("CheckOrderStatus", 0.3), match("OrderPizza", 0.2)),
			[]*parley.Understanding{und("", nil, match("OrderPizza", 0.9, "Size=large"))},
			[]string{"OrderPizza InProgress 1", "FallbackIntent ReadyForFulfillment -", "CheckOrderStatus ReadyForFulfillment 0.3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession()
			for _, u := range tc.prior {
				s = step(t, s, u, t0)
			}
			s = step(t, s, tc.u, t0)
			var got []string
			for _, in := range s.Interpretations {
				score := "-"
				if in.NLUConfidence != nil {
					score = formatScore(in.NLUConfidence.Score)
				}
				got = append(got, in.Intent.Name+" "+string(in.Intent.State)+" "+score)
				def, _ := pizzaBot()
				if l := def.Locales[0].Intent(in.Intent.Name); l != nil && len(in.Intent.Slots) != len(l.Slots) {
					t.Errorf("%s has %d slots, want every slot of the intent (%d)", in.Intent.Name, len(in.Intent.Slots), len(l.Slots))
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("interpretations %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("interpretation %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func formatScore(f float64) string {
	switch f {
	case 1:
		return "1"
	case 0.9:
		return "0.9"
	case 0.3:
		return "0.3"
	case 0.2:
		return "0.2"
	}
	return "?"
}

package dialog_test

import (
	"maps"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

func TestMergeAttributes(t *testing.T) {
	tests := []struct {
		name  string
		given map[string]string
		want  map[string]string
	}{
		{"nil keeps", nil, map[string]string{"a": "1"}},
		{"empty clears", map[string]string{}, map[string]string{}},
		{"a map replaces", map[string]string{"b": "2"}, map[string]string{"b": "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, loc := pizzaBot()
			s := newSession()
			s.State.SessionAttributes = map[string]string{"a": "1"}
			dialog.Merge(s, loc, &parley.SessionState{SessionAttributes: tc.given}, t0)
			if !maps.Equal(s.State.SessionAttributes, tc.want) {
				t.Errorf("attributes %v, want %v", s.State.SessionAttributes, tc.want)
			}
		})
	}
}

func TestMergeIntent(t *testing.T) {
	_, loc := pizzaBot()
	s := newSession()
	dialog.Merge(s, loc, &parley.SessionState{
		Intent: &parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": slot("small")}},
	}, t0)
	in := s.State.Intent
	if in.State != parley.IntentInProgress || in.ConfirmationState != parley.ConfirmationNone {
		t.Errorf("state %s/%s, want InProgress/None", in.State, in.ConfirmationState)
	}
	if len(in.Slots) != 4 || in.Slots["Crust"] != nil || in.Slots["Size"] == nil {
		t.Errorf("slots %v, want all four with Size filled", in.Slots)
	}
	if s.State.DialogAction.Type != parley.ActionDelegate {
		t.Errorf("action %s, want Delegate", s.State.DialogAction.Type)
	}
	q := dialog.Query(s, loc, "thin", t0)
	if q.Intent != "OrderPizza" || q.ElicitSlot != "" {
		t.Errorf("query %+v, want the intent in progress", q)
	}
	bot, _ := pizzaBot()
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: und("", []string{"Crust=thin"}), Now: t0})
	if got, want := summary(out.Session), "OrderPizza InProgress None Size=small Crust=thin Topping=- Note=- | ElicitSlot Topping | What topping?"; got != want {
		t.Errorf("after Delegate:\n got %s\nwant %s", got, want)
	}
}

func TestValidateState(t *testing.T) {
	_, loc := pizzaBot()
	tests := []struct {
		name  string
		st    *parley.SessionState
		field string // "" = valid
	}{
		{"nil", nil, ""},
		{"known intent and slot", &parley.SessionState{Intent: &parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": nil}}}, ""},
		{"unknown intent", &parley.SessionState{Intent: &parley.SessionIntent{Name: "BookHotel"}}, "sessionState.intent.name"},
		{"unknown slot", &parley.SessionState{Intent: &parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Colour": nil}}}, "sessionState.intent.slots.Colour"},
		{"unknown slot to elicit", &parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Colour"},
			Intent:       &parley.SessionIntent{Name: "OrderPizza"}}, "sessionState.dialogAction.slotToElicit"},
		{"hint for an unknown slot", &parley.SessionState{RuntimeHints: &parley.RuntimeHints{SlotHints: map[string]map[string]parley.RuntimeHintDetails{"OrderPizza": {"Colour": {}}}}}, "sessionState.runtimeHints.slotHints.OrderPizza.Colour"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := dialog.ValidateState(loc, "sessionState", tc.st)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Fatalf("error %v, want ValidationException", err)
			}
			if msg := parley.ErrorMessageOf(err); len(msg) < len(tc.field) || msg[:len(tc.field)] != tc.field {
				t.Errorf("message %q does not start with %q", msg, tc.field)
			}
		})
	}
}

// fulfilOrder runs OrderPizza to fulfillment, which activates order_placed
// (2 turns, 600 s) with the order's slots as attributes.
func fulfilOrder(t *testing.T, now time.Time) *parley.Session {
	t.Helper()
	s := step(t, newSession(), und("", nil, match("OrderPizza", 0.9, "Size=large", "Crust=thin", "Topping=cheese")), now)
	return step(t, s, und(parley.AnswerYes, nil), now)
}

func TestContextActivationAndAging(t *testing.T) {
	type check struct {
		after      time.Duration // since fulfillment
		active     bool
		turnsLeft  int
		secondLeft int
	}
	tests := []struct {
		name   string
		checks []check
	}{
		{"activated with the full time to live", nil},
		{"aged by turns", []check{{time.Second, true, 1, 599}, {2 * time.Second, false, 0, 0}}},
		{"aged by seconds", []check{{599 * time.Second, true, 1, 1}, {600 * time.Second, false, 0, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := fulfilOrder(t, t0)
			cs := s.State.ActiveContexts
			if len(cs) != 1 || cs[0].Name != "order_placed" || cs[0].TimeToLive != (parley.ContextTimeToLive{TimeToLiveInSeconds: 600, TurnsToLive: 2}) {
				t.Fatalf("contexts after fulfillment %+v", cs)
			}
			if want := map[string]string{"Size": "large", "Crust": "thin", "Topping": "cheese"}; !maps.Equal(cs[0].ContextAttributes, want) {
				t.Errorf("context attributes %v, want %v", cs[0].ContextAttributes, want)
			}
			for _, c := range tc.checks {
				s = step(t, s, und("", nil, match("FallbackIntent", 0)), t0.Add(c.after))
				cs := s.State.ActiveContexts
				if !c.active {
					if len(cs) != 0 {
						t.Fatalf("after %v: contexts %+v, want none", c.after, cs)
					}
					continue
				}
				if len(cs) != 1 || cs[0].TimeToLive.TurnsToLive != c.turnsLeft || cs[0].TimeToLive.TimeToLiveInSeconds != c.secondLeft {
					t.Fatalf("after %v: contexts %+v, want %d turns and %d s left", c.after, cs, c.turnsLeft, c.secondLeft)
				}
			}
		})
	}
}

func TestQueryActiveContexts(t *testing.T) {
	_, loc := pizzaBot()
	s := fulfilOrder(t, t0)
	tests := []struct {
		name  string
		state *parley.SessionState
		at    time.Duration
		want  int
	}{
		{"kept", nil, time.Second, 1},
		{"expired by seconds", nil, 601 * time.Second, 0},
		{"cleared by an empty list", &parley.SessionState{ActiveContexts: []parley.ActiveContext{}}, time.Second, 0},
		{"replaced by a request", &parley.SessionState{ActiveContexts: []parley.ActiveContext{
			{Name: "vip", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 1}},
			{Name: "promo", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 1}},
		}}, time.Second, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := clone(s)
			dialog.Merge(c, loc, tc.state, t0.Add(tc.at))
			if q := dialog.Query(c, loc, "x", t0); len(q.ActiveContexts) != tc.want {
				t.Errorf("active contexts %v, want %d", q.ActiveContexts, tc.want)
			}
		})
	}
}

func clone(s *parley.Session) *parley.Session {
	c := *s
	c.State.ActiveContexts = append([]parley.ActiveContext(nil), s.State.ActiveContexts...)
	c.Memory.ContextExpiry = maps.Clone(s.Memory.ContextExpiry)
	return &c
}

func TestDefaultValues(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]string
		order bool // fulfil an order first (context attributes)
		want  string
	}{
		{"constant", nil, false, "AddDrink Fulfilled None Size=- Drink=water | Close | Added a {Size} water."},
		{"session attribute", map[string]string{"favourite": "lemonade"}, false, "AddDrink Fulfilled None Size=- Drink=lemonade | Close | Added a {Size} lemonade."},
		{"context attribute, then the next default", map[string]string{"favourite": "lemonade"}, true, "AddDrink Fulfilled None Size=large Drink=lemonade | Close | Added a large lemonade."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession()
			if tc.order {
				s = fulfilOrder(t, t0)
			}
			_, loc := pizzaBot()
			dialog.Merge(s, loc, &parley.SessionState{SessionAttributes: tc.attrs}, t0)
			s = step(t, s, und("", nil, match("AddDrink", 0.9)), t0)
			if got := summary(s); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	bot, loc := pizzaBot()
	size := loc.Intent("OrderPizza").Slot("Size")
	size.Prompt = parley.PromptSpecification{
		MaxRetries:               2,
		MessageSelectionStrategy: "Ordered",
		MessageGroups: []parley.MessageGroup{
			{Message: parley.Message{ContentType: parley.ContentPlainText, Content: "Size, [customer]?"},
				Variations: []parley.Message{{ContentType: parley.ContentPlainText, Content: "Which size?"}}},
			{Message: parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
				Title: "Pick one, [customer]", Buttons: []parley.Button{{Text: "Small", Value: "small"}}}}},
		},
	}
	s := newSession()
	dialog.Merge(s, loc, &parley.SessionState{SessionAttributes: map[string]string{"customer": "Kim"}}, t0)
	want := []string{"Size, Kim?", "Which size?", "Size, Kim?"}
	u := und("", nil, match("OrderPizza", 0.9))
	for i, w := range want {
		out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: u, Now: t0})
		s = out.Session
		u = und("", nil, match("FallbackIntent", 0))
		if len(s.Messages) != 2 {
			t.Fatalf("attempt %d: %d messages, want 2", i, len(s.Messages))
		}
		if s.Messages[0].Content != w {
			t.Errorf("attempt %d: %q, want %q", i, s.Messages[0].Content, w)
		}
		if c := s.Messages[1].ImageResponseCard; c == nil || c.Title != "Pick one, Kim" || c.Buttons[0].Value != "small" {
			t.Errorf("attempt %d: card %+v", i, c)
		}
	}
	// The bot definition is not changed by rendering.
	if got := size.Prompt.MessageGroups[1].Message.ImageResponseCard.Title; got != "Pick one, [customer]" {
		t.Errorf("definition changed: %q", got)
	}
}

func TestPut(t *testing.T) {
	bot, loc := pizzaBot()
	tests := []struct {
		name string
		st   parley.SessionState
		msgs []parley.Message
		want string
	}{
		{"elicit slot says its prompt", parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"},
			Intent:       &parley.SessionIntent{Name: "OrderPizza"}},
			nil, "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
		{"given messages are said instead", parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"},
			Intent:       &parley.SessionIntent{Name: "OrderPizza"}},
			[]parley.Message{{ContentType: parley.ContentPlainText, Content: "Crust?"}}, "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Crust | Crust?"},
		{"delegate runs the flow", parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionDelegate},
			Intent:       &parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": slot("small"), "Crust": slot("thin"), "Topping": slot("cheese")}}},
			nil, "OrderPizza InProgress None Size=small Crust=thin Topping=cheese Note=- | ConfirmIntent | A small thin pizza with cheese?"},
		{"close says nothing", parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionClose}}, nil, " | Close"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := dialog.Put(dialog.PutInput{Bot: bot, Locale: loc, Session: newSession(), State: tc.st, Messages: tc.msgs, Now: t0})
			if out.Err != nil || out.Pending != nil {
				t.Fatalf("Put: %v %v", out.Err, out.Pending)
			}
			if got := summary(out.Session); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestMessagesCappedAtTen(t *testing.T) {
	bot, loc := pizzaBot()
	var many []string
	for range 12 {
		many = append(many, "Hello.")
	}
	loc.Intent("Silent").InitialResponse = resp(many...)
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: newSession(), Understanding: und("", nil, match("Silent", 0.9)), Now: t0})
	if n := len(out.Session.Messages); n != parley.MaxMessages {
		t.Errorf("%d messages, want %d", n, parley.MaxMessages)
	}
}

// TestMergeEchoedStateKeepsRetries checks that a client sending back the
// state it was given does not reset the retry count, while a new question
// does.
func TestMergeEchoedStateKeepsRetries(t *testing.T) {
	_, loc := pizzaBot()
	s := step(t, newSession(), und("", nil, match("OrderPizza", 0.9)), t0)
	s = step(t, s, und("", nil, match("FallbackIntent", 0)), t0)
	if s.Memory.Attempt != 1 {
		t.Fatalf("attempt %d after one retry, want 1", s.Memory.Attempt)
	}
	echo := s.State
	dialog.Merge(s, loc, &echo, t0)
	if s.Memory.Attempt != 1 {
		t.Errorf("attempt %d after an echoed state, want 1", s.Memory.Attempt)
	}
	dialog.Merge(s, loc, &parley.SessionState{
		DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"},
		Intent:       &parley.SessionIntent{Name: "OrderPizza"},
	}, t0)
	if s.Memory.Attempt != 0 {
		t.Errorf("attempt %d after a new question, want 0", s.Memory.Attempt)
	}
}
